"""Public responses that are the same for everyone (core/caching.py): Cache-Control public with the configured
max-age, ETag and Last-Modified from the data's last change, 304 on revalidation, a new ETag after a report
(or category, or file) changes. Pages with per-visitor content stay private."""

import os

import pytest
from django.test import override_settings

from stadtdigital.reports.models import State
from stadtdigital.reports.services import workflow

CITY = "49.10,9.13,49.19,9.28"

REPORT_URLS = [
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
    "/open311/v2/requests.json?status=open&extensions=true",
    "/open311/v2/requests/{pk}.json",
    "/open311/v2/requests/{pk}.xml",
    f"/anliegen/karte.json?bbox={CITY}&zoom=16",
    "/anliegen/feed.atom",
    "/opendata/anliegen.csv",
    "/opendata/anliegen.geojson",
    "/opendata/catalog.ttl",
]
SERVICE_URLS = [
    "/open311/v2/discovery.json",
    "/open311/v2/discovery.xml",
    "/open311/v2/services.json",
    "/open311/v2/services.xml",
]


@pytest.fixture
def report(make_report):
    make_report(description="Ein anderes Schlagloch")
    return make_report()


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_public(response):
    directives = sorted(part.strip() for part in response["Cache-Control"].split(","))
    assert directives == ["max-age=60", "public", "s-maxage=59"], response["Cache-Control"]
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")


def revalidates(client, url, response):
    """Both validators of a 200 give 304s with the validators on them."""
    by_etag = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert by_etag.status_code == 304
    assert by_etag["ETag"] == response["ETag"]
    assert "public" in by_etag["Cache-Control"]
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert by_date.status_code == 304


@pytest.mark.parametrize("url", REPORT_URLS)
def test_report_responses_are_public_revalidate_and_change_with_a_report(
    client, report, department_user, url
):
    url = url.format(pk=report.pk)
    first = client.get(url)
    assert first.status_code == 200
    body_of(first)
    assert_public(first)
    revalidates(client, url, first)

    workflow.change_state(report, State.IN_PROGRESS, user=department_user, public_text="Wir sind dran.")

    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert_public(after)


@pytest.mark.parametrize("url", SERVICE_URLS)
def test_service_responses_are_public_revalidate_and_change_with_a_category(client, category, url):
    first = client.get(url)
    assert first.status_code == 200
    assert_public(first)
    revalidates(client, url, first)

    category.name = "Straßenschäden"
    category.save()

    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_a_report_change_leaves_other_reports_validators_alone(client, report, make_report, department_user):
    other = make_report(description="Laterne defekt")
    url = f"/open311/v2/requests/{other.pk}.json"
    first = client.get(url)
    workflow.change_state(report, State.IN_PROGRESS, user=department_user, public_text="Wir sind dran.")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_processed_photo_moves_the_validators_on(client, report, settings, tmp_path):
    """Processing stamps the report: the photo's URL appears in Open311's extensions and open data."""
    from PIL import Image

    from stadtdigital.reports.models import Photo
    from stadtdigital.reports.services.photos import process_photo

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "raw").mkdir()
    Image.new("RGB", (40, 30), "red").save(tmp_path / "raw" / "p.jpg")
    photo = Photo.objects.create(report=report, upload="raw/p.jpg")
    url = f"/open311/v2/requests/{report.pk}.json?extensions=true"
    first = client.get(url)
    assert process_photo(photo.pk) == "ready"
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_the_basemap_is_public_and_changes_with_its_file(client, settings, tmp_path, db):
    basemap = tmp_path / "basemap.geojson"
    basemap.write_text('{"type": "FeatureCollection", "features": []}')
    settings.MAP_FALLBACK_GEOJSON = str(basemap)
    first = client.get("/anliegen/basiskarte.geojson")
    assert first.status_code == 200
    body_of(first)
    assert_public(first)
    revalidates(client, "/anliegen/basiskarte.geojson", first)

    basemap.write_text('{"type": "FeatureCollection", "features": [], "name": "neu"}')
    stat = basemap.stat()
    os.utime(basemap, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    after = client.get("/anliegen/basiskarte.geojson", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


@override_settings(PUBLIC_CACHE_MAX_AGE=300)
def test_max_age_is_a_setting(client, report):
    response = client.get("/open311/v2/requests.json")
    assert "max-age=300" in response["Cache-Control"]


def test_errors_are_not_marked_for_caching(client, report):
    missing = client.get("/open311/v2/requests/999999.json")
    assert missing.status_code == 404
    assert "ETag" not in missing
    bad = client.get(
        "/open311/v2/requests.json",
        {"start_date": "gestern"},
        HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT",
    )
    assert bad.status_code == 400


def test_report_pages_stay_private(client, report):
    """The HTML pages carry a CSRF token (language switch) and the signed-in state: no public caching."""
    response = client.get(f"/anliegen/{report.pk}/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response
