"""A full or unusable MEDIA_ROOT: a report with a photo answers 503 with a clear message (the web form keeps
what the citizen typed; Open311 in its own format), nothing is stored and nothing half-written stays."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stadtdigital.reports.models import Photo, Report
from tests.reports.test_intake_helpers import jpeg_bytes
from tests.storage_faults import files_under, full_filesystem, unwritable_root

NEW = "/anliegen/neu/"


def web_post(client):
    return client.post(
        NEW,
        {
            "kategorie": "schlagloch",
            "adresse": "",
            "lat": "49.142",
            "lon": "9.21",
            "description": "Laterne Nr. 17 flackert",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes((400, 300)), "image/jpeg")],
        },
    )


def open311_post(client, key, fmt="json"):
    return client.post(
        f"/open311/v2/requests.{fmt}",
        {
            "service_code": "schlagloch",
            "lat": "49.142",
            "long": "9.21",
            "description": "Laterne Nr. 17 flackert",
            "api_key": key,
            "media": [SimpleUploadedFile("a.jpg", jpeg_bytes((400, 300)), "image/jpeg")],
        },
        REMOTE_ADDR="203.0.113.9",
    )


@pytest.fixture
def api_key(db):
    from stadtdigital.open311 import services

    return services.create_key("Test-App")[1]


def assert_nothing_stored():
    assert not Report.objects.exists()
    assert not Photo.objects.exists()


def test_web_form_with_an_unusable_media_root_answers_503_and_keeps_the_text(
    client, category, tmp_path, settings
):
    settings.MEDIA_ROOT = unwritable_root(tmp_path)
    response = web_post(client)
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert "Dateien können im Moment nicht gespeichert werden" in html
    assert "Laterne Nr. 17 flackert" in html  # what the citizen typed is still in the form
    assert "Bitte wählen Sie die Fotos noch einmal aus" in html
    assert_nothing_stored()


def test_web_form_on_a_full_disk_answers_503_and_leaves_no_partial_file(client, category, tmp_path, settings):
    with full_filesystem(tmp_path, free_bytes=2000) as root:
        settings.MEDIA_ROOT = root
        response = web_post(client)
        assert response.status_code == 503
        assert "Laterne Nr. 17 flackert" in response.content.decode()
        assert files_under(root) == []  # no 0-byte or partial raw upload
    assert_nothing_stored()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_on_a_full_disk_answers_503_in_its_own_format(
    client, category, api_key, tmp_path, settings, fmt
):
    with full_filesystem(tmp_path, free_bytes=2000) as root:
        settings.MEDIA_ROOT = root
        response = open311_post(client, api_key, fmt)
        assert response.status_code == 503
        assert response["Retry-After"]
        if fmt == "json":
            assert response["Content-Type"].startswith("application/json")
            [error] = json.loads(response.content)
            assert error["code"] == 503 and "nicht gespeichert werden" in error["description"]
        else:
            assert response["Content-Type"].startswith("text/xml")
            assert b"<errors><error><code>503</code>" in response.content
        assert files_under(root) == []
    assert_nothing_stored()


def test_open311_with_an_unusable_media_root_answers_503(client, category, api_key, tmp_path, settings):
    settings.MEDIA_ROOT = unwritable_root(tmp_path)
    response = open311_post(client, api_key)
    assert response.status_code == 503
    assert json.loads(response.content)[0]["code"] == 503
    assert_nothing_stored()
