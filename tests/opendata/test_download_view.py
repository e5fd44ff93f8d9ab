"""GET/HEAD /opendata/<dataset>.<format>: streamed files with validators, 304 answers and clear 400/404s."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from stadtdigital.opendata import registry
from stadtdigital.opendata.registry import FORMATS, Dataset, Distribution, Period, get_dataset
from stadtdigital.reports.models import Report

UTC = datetime.UTC


@pytest.fixture
def report(make_report):
    return make_report(created_at=datetime.datetime(2024, 5, 1, 8, tzinfo=UTC), description="Laterne aus")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("csv", "text/csv; charset=utf-8"), ("geojson", "application/geo+json; charset=utf-8")],
)
def test_a_download_is_streamed_with_media_type_and_validators(download, report, fmt, media_type):
    response, body = download("anliegen", fmt)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == media_type
    assert body == b"".join(get_dataset("anliegen").distribution(fmt).stream(Period(), None))
    assert b"Laterne aus" in body
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"') and len(response["ETag"]) == 34
    assert response["Last-Modified"] == http_date(get_dataset("anliegen").modified().timestamp())
    assert response["Content-Disposition"] == f'attachment; filename="anliegen.{fmt}"'
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=59"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_if_none_match_with_the_etag_is_answered_304_with_the_validators(client, download, report):
    response, _body = download("anliegen", "csv")

    again = client.get("/opendata/anliegen.csv", HTTP_IF_NONE_MATCH=response["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]
    assert again["Last-Modified"] == response["Last-Modified"]
    assert again["Cache-Control"] == "public, max-age=60, s-maxage=59"


@pytest.mark.django_db
def test_if_modified_since_is_answered_304_until_the_data_changes(client, download, report):
    response, _body = download("anliegen", "csv")
    earlier = http_date(get_dataset("anliegen").modified().timestamp() - 60)

    assert (
        client.get("/opendata/anliegen.csv", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code
        == 304
    )
    assert client.get("/opendata/anliegen.csv", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


@pytest.mark.django_db
def test_etag_and_last_modified_change_when_a_report_changes(client, download, report):
    before, _body = download("anliegen", "csv")

    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now() + datetime.timedelta(seconds=2))
    after, body = download("anliegen", "csv")

    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    assert client.get("/opendata/anliegen.csv", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


@pytest.mark.django_db
def test_each_format_and_period_has_its_own_etag(download, report):
    tags = {
        download("anliegen", "csv")[0]["ETag"],
        download("anliegen", "geojson")[0]["ETag"],
        download("anliegen", "csv", start_date="2024-05-01")[0]["ETag"],
        download("anliegen", "csv", start_date="2024-05-02")[0]["ETag"],
    }

    assert len(tags) == 4


@pytest.mark.django_db
def test_period_filter_and_its_file_name(download, report):
    response, body = download("anliegen", "csv", start_date="2024-05-02", end_date="2024-06-30")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="anliegen_2024-05-02_2024-06-30.csv"'
    assert b"Laterne aus" not in body
    assert b"Laterne aus" in download("anliegen", "csv", start_date="2024-05-01", end_date="2024-05-01")[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_date": "2024-13-01"}, "start_date: „2024-13-01“ ist kein Datum im Format JJJJ-MM-TT"),
        ({"end_date": "gestern"}, "end_date: „gestern“ ist kein Datum im Format JJJJ-MM-TT"),
        (
            {"start_date": "2024-02-01", "end_date": "2024-01-01"},
            "start_date (2024-02-01) liegt nach end_date",
        ),
    ],
)
def test_a_bad_period_is_a_400_that_says_what_is_wrong(download, report, params, message):
    response, body = download("anliegen", "csv", **params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in body.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/opendata/gibtesnicht.csv", "/opendata/anliegen.xlsx", "/opendata/anliegen.txt"]
)
def test_unknown_dataset_or_format_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_head_has_the_headers_of_get_and_no_body(client, download, report):
    get, _body = download("anliegen", "csv")

    head = client.head("/opendata/anliegen.csv")

    assert head.status_code == 200
    assert b"".join(head.streaming_content) == b""
    assert "Content-Length" not in head  # not 0: the size of the streamed file is unknown
    for header in ("Content-Type", "ETag", "Last-Modified", "Content-Disposition"):
        assert head[header] == get[header]


@pytest.mark.django_db
def test_post_is_not_allowed(client):
    assert client.post("/opendata/anliegen.csv").status_code == 405


@pytest.mark.django_db
def test_a_period_on_a_dataset_without_period_is_a_400(client, monkeypatch):
    whole_only = Dataset(
        name="ganz",
        title="Nur ganz",
        description="",
        keywords=(),
        themes=("GOVE",),
        frequency="ANNUAL",
        distributions=(Distribution(FORMATS["csv"], lambda period, progress: iter([b"a\r\n"])),),
        modified=lambda: None,
        temporal=lambda: None,
        row_count=lambda period: 0,
    )
    monkeypatch.setattr(registry, "all_datasets", lambda: [whole_only])

    response = client.get("/opendata/ganz.csv", {"start_date": "2024-01-01"})

    assert response.status_code == 400
    assert "lässt sich nicht nach Zeitraum filtern" in response.content.decode()
    assert client.get("/opendata/ganz.csv").status_code == 200
    assert "Last-Modified" not in client.get("/opendata/ganz.csv")  # no data, no date
