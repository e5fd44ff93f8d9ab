# --- write side: POST requests and API keys (tests/open311/test_write_*.py, test_keys*.py) ---------------
import pytest  # noqa: E402

from tests.reports.conftest import category, category_group, make_report, other_category  # noqa: E402,F401
from tests.reports.test_intake_helpers import questions  # noqa: E402,F401


@pytest.fixture
def open311_client(db):
    """(ApiClient, plaintext key) of an active client application."""
    from stadtdigital.open311 import services

    return services.create_key("Test-App")


@pytest.fixture
def open311_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- read side: GET endpoints (tests/open311/test_read_*.py) ----------------------------------------------


@pytest.fixture
def get311(client):
    """GET /open311/v2/<path>; returns (response, document): parsed JSON, or the XML root Element."""
    import json
    import xml.etree.ElementTree as ET

    def get(path, **query):
        response = client.get(f"/open311/v2/{path}", query)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/xml"):
            assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
            return response, ET.fromstring(response.content)  # noqa: S314 - our own output
        assert content_type == "application/json; charset=utf-8", content_type
        return response, json.loads(response.content)

    return get


@pytest.fixture
def add_photo():
    """Adds a photo to a report (READY unless told otherwise)."""
    from stadtdigital.reports.models import Photo, PhotoStatus

    def add(report, *, status=PhotoStatus.READY, hidden=False, position=0):
        return Photo.objects.create(
            report=report,
            image=f"reports/{report.pk}/photo-{position}.jpg",
            thumbnail=f"reports/{report.pk}/thumb-{position}.jpg",
            status=status,
            hidden=hidden,
            position=position,
        )

    return add
