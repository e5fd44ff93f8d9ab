"""An API-posted report goes through exactly the code path of a web one: same validation (same errors for
the same bad input), same routing, same photo processing (EXIF stripped) and the same notifications."""

import io
import json

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse
from django.utils.html import escape
from PIL import Image

from stadtdigital.open311 import tokens
from stadtdigital.open311.views import write
from stadtdigital.reports.models import Report, Source, Visibility
from stadtdigital.reports.services import intake
from tests.reports.test_intake_helpers import exif_with_gps_and_orientation, jpeg_bytes

urlpatterns = [
    path("open311/v2/requests.<str:fmt>", write.post_request),
    path("", include("stadtdigital.urls")),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def validations(monkeypatch):
    """Every call of intake.validate (the one validator) with what it raised or returned."""
    calls = []
    original = intake.validate

    def spy(data):
        try:
            result = original(data)
        except intake.ReportRejected as rejected:
            calls.append(("rejected", data, rejected.errors))
            raise
        calls.append(("ok", data, result))
        return result

    monkeypatch.setattr(intake, "validate", spy)
    return calls


def bad_photo():
    return SimpleUploadedFile("b.jpg", b"kein Bild, nur Text", "image/jpeg")


def test_same_bad_input_gives_the_same_errors_on_web_and_api(
    client, category, questions, open311_client, open311_media, validations
):
    web = client.post(
        "/anliegen/neu/",
        {
            "kategorie": "schlagloch",
            "adresse": "",
            "lat": "49.142",
            "lon": "9.21",
            "description": "ab",
            "attr_tiefe": "tief",
            "name": "Anna",
            "email": "keine-adresse",
            "privacy_consent": "on",
            "photos": [bad_photo()],
        },
    )
    api = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_client[1],
            "service_code": "schlagloch",
            "lat": "49.142",
            "long": "9.21",
            "description": "ab",
            "attribute[tiefe]": "tief",
            "first_name": "Anna",
            "email": "keine-adresse",
            "media": [bad_photo()],
        },
    )
    assert web.status_code == 400 and api.status_code == 400
    (web_call, api_call) = validations
    assert web_call[0] == api_call[0] == "rejected"
    assert web_call[1].source == Source.WEB and api_call[1].source == Source.API
    errors = web_call[2]
    assert errors == api_call[2]
    assert set(errors) == {"description", "attributes.tiefe", "attributes.gefahr", "email", "photos"}
    described = [item["description"] for item in json.loads(api.content)]
    html = web.content.decode()
    for messages in errors.values():
        for message in messages:
            assert any(text.endswith(message) for text in described)
            assert escape(message) in html
    assert Report.objects.count() == 0


def test_same_good_input_is_routed_and_announced_the_same(
    client, category, open311_client, django_capture_on_commit_callbacks, validations, monkeypatch
):
    alerts = []
    monkeypatch.setattr(intake, "announce_public", lambda report: alerts.append(report.pk))
    category.needs_triage = True
    category.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/anliegen/neu/",
            {
                "kategorie": "schlagloch",
                "lat": "49.142",
                "lon": "9.21",
                "description": "Loch im Weg",
                "email": "web@example.org",
                "privacy_consent": "on",
            },
        )
        client.post(
            "/open311/v2/requests.json",
            {
                "api_key": open311_client[1],
                "service_code": "schlagloch",
                "lat": "49.142",
                "long": "9.21",
                "description": "Loch im Weg",
                "email": "api@example.org",
            },
        )
        client.post(
            "/open311/v2/requests.json",
            {
                "api_key": open311_client[1],
                "service_code": "schlagloch",
                "lat": "49.142",
                "long": "9.21",
                "description": "Noch ein Loch",
            },
        )
    web, api, anonymous = Report.objects.order_by("pk")
    assert [call[0] for call in validations] == ["ok", "ok", "ok"]
    for report in (web, api):
        assert report.department == category.department and report.needs_triage
        assert report.visibility == Visibility.PENDING_CONFIRMATION
        assert report.due_at - report.created_at == api.due_at - api.created_at
    assert sorted(message.subject for message in mail.outbox) == sorted(
        [f"Bitte bestätigen Sie Ihre Meldung Nr. {web.pk}", f"Bitte bestätigen Sie Ihre Meldung Nr. {api.pk}"]
    )
    assert alerts == [anonymous.pk]  # area alerts only for reports public right away, web or API


def test_api_photo_is_stripped_of_exif_and_shown_after_confirmation(
    client, category, open311_client, open311_media, django_capture_on_commit_callbacks
):
    raw = jpeg_bytes(size=(800, 600), exif=exif_with_gps_and_orientation(6))
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the upload really carries GPS
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": open311_client[1],
                "service_code": "schlagloch",
                "lat": "49.142",
                "long": "9.21",
                "description": "Loch mit Foto",
                "email": "anna@example.org",
                "media": [SimpleUploadedFile("loch.jpg", raw, "image/jpeg")],
            },
        )
    (item,) = json.loads(response.content)
    report = Report.objects.get()
    assert item["token"] == tokens.token_for(report.pk)
    assert str(report.confirmation_token) not in response.content.decode()  # only the email confirms
    assert client.get(f"/anliegen/{report.pk}/").status_code == 404  # not public before confirmation

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:confirm", kwargs={"token": report.confirmation_token}))
    report.refresh_from_db()
    assert report.visibility == Visibility.PUBLIC

    photo = report.photos.get()
    assert not photo.upload  # the raw upload is gone
    with default_storage.open(photo.image.name) as handle:
        stored = Image.open(handle)
        stored.load()
        assert len(stored.getexif()) == 0 and "exif" not in stored.info
    assert b"Testkamera" not in default_storage.open(photo.image.name).read()

    page = client.get(f"/anliegen/{report.pk}/")
    assert page.status_code == 200
    photo_url = reverse("reports:photo", kwargs={"pk": report.pk, "photo_pk": photo.pk})
    assert photo_url in page.content.decode()
    served = client.get(photo_url)
    assert served.status_code == 200
    body = b"".join(served.streaming_content) if served.streaming else served.content
    assert Image.open(io.BytesIO(body)).getexif().get_ifd(0x8825) == {}
    assert b"Testkamera" not in body
