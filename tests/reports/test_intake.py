"""submit_report: the one code path for new reports. Bad input is rejected per field and stores nothing."""

import datetime

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from stadtdigital.core.models import RateCounter
from stadtdigital.reports.models import (
    AttributeValue,
    Event,
    EventKind,
    Photo,
    PhotoStatus,
    Report,
    State,
    Subscription,
    Visibility,
)
from stadtdigital.reports.services.intake import (
    PhotoData,
    RateLimited,
    ReportInput,
    ReportRejected,
    clean_attribute,
    parse_coordinate,
    submit_report,
)
from tests.conftest import make_user
from tests.reports.test_intake_helpers import jpeg_bytes, png_bytes, questions  # noqa: F401

GOOD = {"category": "schlagloch", "lat": 49.142, "lon": 9.21, "description": "Tiefes Loch vor Nr. 12"}


def submit(client_ip="203.0.113.1", user=None, **fields):
    return submit_report(ReportInput(**{**GOOD, **fields}), client_ip=client_ip, user=user)


def rejected(**fields) -> dict:
    with pytest.raises(ReportRejected) as info:
        submit(**fields)
    assert Report.objects.count() == 0 and Event.objects.count() == 0 and Photo.objects.count() == 0
    return info.value.errors


def test_anonymous_report_without_email_is_public_routed_and_recorded(
    category, django_capture_on_commit_callbacks
):
    category.needs_triage = True
    category.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(photos=[PhotoData("loch.jpg", jpeg_bytes())])
    report = result.report
    assert not result.needs_confirmation
    assert report.visibility == Visibility.PUBLIC and report.state == State.RECEIVED and report.is_open
    assert report.department == category.department and report.needs_triage
    assert report.due_at - report.created_at == datetime.timedelta(days=10)
    assert report.address.startswith("nahe ") or report.address == ""
    assert list(report.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    assert "10 Tagen" in result.service_notice
    photo = report.photos.get()
    assert photo.status == PhotoStatus.READY  # immediate task backend in tests
    assert mail.outbox == []


def test_email_without_account_waits_for_confirmation_and_gets_link(
    category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(reporter_email="anna@example.org", reporter_name="Anna", privacy_consent=True)
    assert result.needs_confirmation
    assert result.report.visibility == Visibility.PENDING_CONFIRMATION
    assert result.report.privacy_consent_at is not None
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert f"/anliegen/bestaetigen/{result.report.confirmation_token}/" in message.body
    assert "7 Tage" in message.body


def test_logged_in_reporter_with_email_is_public_and_acknowledged(
    category, django_capture_on_commit_callbacks
):
    user = make_user("buerger")
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(user=user, reporter_email="b@example.org", privacy_consent=True)
    assert not result.needs_confirmation and result.report.visibility == Visibility.PUBLIC
    assert "ist eingegangen" in mail.outbox[0].subject
    assert Subscription.objects.get(report=result.report).confirmed_at is not None


def test_address_without_coordinates_is_located_with_house_number(category):
    report = submit(lat=None, lon=None, address="hauptstr 12").report
    assert report.address == "Hauptstraße 12"
    assert 49.10 <= report.lat <= 49.19


@pytest.mark.parametrize(
    ("fields", "key", "text"),
    [
        ({"category": ""}, "category", "Kategorie"),
        ({"category": "gibtsnicht"}, "category", "gibt es nicht"),
        ({"lat": None, "lon": None}, "location", "Karte"),
        ({"lat": 52.52, "lon": 13.40}, "location", "außerhalb"),
        ({"lat": "abc"}, "location", "ungültig"),
        ({"lat": None, "lon": None, "address": "Nirgendwostraße 1"}, "location", "nicht gefunden"),
        ({"description": ""}, "description", "beschreiben"),
        ({"description": "Loch"}, "description", "mindestens 5"),
        ({"description": "x" * 5001}, "description", "höchstens 5000"),
        ({"reporter_email": "nicht-gültig", "privacy_consent": True}, "email", "gültige E-Mail"),
        ({"reporter_phone": "ruf mich an", "privacy_consent": True}, "phone", "Ziffern"),
        ({"reporter_name": "Anna"}, "privacy_consent", "Datenschutz"),
        (
            {"photos": [PhotoData("brief.jpg", b"Sehr geehrte Damen und Herren, ...")]},
            "photos",
            "kein lesbares Foto",
        ),
        ({"photos": [PhotoData(f"{i}.jpg", jpeg_bytes()) for i in range(6)]}, "photos", "höchstens 5"),
        ({"photos": [PhotoData("leer.jpg", b"")]}, "photos", "leer"),
        ({"attributes": {"fremd": "x"}}, "attributes.fremd", "nicht zur gewählten Kategorie"),
    ],
)
def test_bad_input_is_rejected_for_its_field_and_nothing_is_stored(category, fields, key, text):
    errors = rejected(**fields)
    assert key in errors, errors
    assert text in " ".join(errors[key])


def test_inactive_category_is_rejected(category):
    category.is_active = False
    category.save()
    assert "keine Meldungen mehr" in rejected()["category"][0]


@override_settings(REPORT_MAX_PHOTO_BYTES=1000)
def test_too_big_photo_file_is_rejected(category):
    assert (
        "zu groß"
        in rejected(photos=[PhotoData("gross.jpg", jpeg_bytes(size=(400, 400), quality=100))])["photos"][0]
    )


def test_decompression_bomb_is_rejected_at_intake(category):
    # A real PNG of 10,000 x 10,000 black pixels: a few KB on disk, 100 megapixels decoded.
    errors = rejected(photos=[PhotoData("bombe.png", png_bytes(size=(10_000, 10_000), mode="1"))])
    assert "Megapixel" in errors["photos"][0]


def test_several_errors_at_once_and_no_files_left_behind(category, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    # (a photo makes the description optional, but one too short is still an error)
    errors = rejected(category="", description="abc", photos=[PhotoData("ok.jpg", jpeg_bytes())])
    assert set(errors) == {"category", "description"}
    assert not (tmp_path / "reports").exists()


def test_a_photo_makes_the_description_optional(category, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    assert "description" in rejected(description="")
    report = submit(description="", photos=[PhotoData("loch.jpg", jpeg_bytes())]).report
    assert report.description == ""


def test_answers_are_validated_by_type_and_stored(category, questions):  # noqa: F811
    errors = rejected(
        attributes={"tiefe": "tief", "seit": "gestern", "gefahr": "fussgaenger", "wo": ["dach"]}
    )
    assert set(errors) == {"attributes.tiefe", "attributes.seit", "attributes.gefahr", "attributes.wo"}
    assert "Bitte beantworten" in rejected(attributes={})["attributes.gefahr"][0]
    report = submit(
        description="",  # optional: the category has a required question
        attributes={
            "tiefe": "12,5",
            "seit": "01.03.2025",
            "gefahr": "rad",
            "wo": ["gehweg", "fahrbahn"],
            "nummer": "",
        },
    ).report
    answers = {value.question.code: value.value for value in AttributeValue.objects.filter(report=report)}
    assert answers == {"tiefe": 12.5, "seit": "2025-03-01", "gefahr": "rad", "wo": ["fahrbahn", "gehweg"]}


def test_rate_limit_per_ip_counts_in_the_database_and_spares_staff(category, settings, digital_office_user):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 2
    submit()
    submit()
    with pytest.raises(RateLimited) as info:
        submit()
    assert "später" in info.value.errors["__all__"][0]
    assert Report.objects.count() == 2
    assert RateCounter.objects.get(key="rate:report:ip:203.0.113.1").count == 3
    submit(client_ip="198.51.100.9")  # another address is not affected
    submit(user=digital_office_user)  # staff are never limited
    assert Report.objects.count() == 4


def test_invalid_input_does_not_use_up_the_rate_limit(category, settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1
    for _ in range(3):
        rejected(description="")
    submit()


def test_uploaded_file_objects_are_accepted(category, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("IMG_0001.JPG", jpeg_bytes(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(photos=[upload]).report
    photo = report.photos.get()
    assert photo.status == PhotoStatus.READY and not photo.upload
    assert "IMG_0001" not in photo.image.name
    assert default_storage.exists(photo.image.name)


def test_media_urls_are_recorded_for_staff_only(category):
    report = submit(media_urls=["https://example.org/a.jpg"], source="api", api_client="app").report
    event = report.events.get()
    assert event.data["media_urls"] == ["https://example.org/a.jpg"] and report.api_client == "app"


def test_alerts_hook_is_called_for_public_reports_only(
    category, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        "stadtdigital.reports.services.alerts.notify_new_public_report",
        lambda report: calls.append(report.pk),
    )
    with django_capture_on_commit_callbacks(execute=True):
        public = submit().report
        submit(reporter_email="x@example.org", privacy_consent=True)
    assert calls == [public.pk]


@given(st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12) | st.none())
@hsettings(max_examples=200, deadline=None)
def test_parse_coordinate_never_crashes_and_returns_finite_floats(value):
    try:
        result = parse_coordinate(value)
    except ValueError:
        return
    assert result is None or (isinstance(result, float) and result == result and abs(result) != float("inf"))


@given(st.decimals(min_value=-180, max_value=180, places=6, allow_nan=False))
@hsettings(max_examples=100, deadline=None)
def test_german_decimal_comma_coordinates(value):
    assert parse_coordinate(str(value).replace(".", ",")) == pytest.approx(float(value))


class _Question:
    def __init__(self, datatype, required=False, choices=()):
        self.datatype, self.required, self.choices = datatype, required, list(choices)


CHOICES = [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}]
ANY_VALUE = (
    st.none() | st.text(max_size=20) | st.integers() | st.floats() | st.lists(st.text(max_size=3), max_size=3)
)


@given(
    st.sampled_from(["string", "text", "number", "datetime", "singlevaluelist", "multivaluelist"]),
    st.booleans(),
    ANY_VALUE,
)
@hsettings(max_examples=400, deadline=None)
def test_attribute_validator_returns_a_storable_value_or_a_message(datatype, required, value):
    from django.core.exceptions import ValidationError

    question = _Question(datatype, required, CHOICES)
    try:
        cleaned = clean_attribute(question, value)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
        return
    if cleaned is None:
        assert not required
    elif datatype == "number":
        assert isinstance(cleaned, int | float) and abs(cleaned) <= 1e12
    elif datatype == "singlevaluelist":
        assert cleaned in ("a", "b")
    elif datatype == "multivaluelist":
        assert set(cleaned) <= {"a", "b"}
    else:
        assert isinstance(cleaned, str)


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"description": "Tiefes\x00 Loch vor Nr. 12"}, "description"),
        ({"reporter_name": "Max\x00", "privacy_consent": True}, "name"),
        ({"lat": None, "lon": None, "address": "Markt\x00platz"}, "location"),
        ({"address": "Markt\x00platz"}, "location"),
        ({"category": "schlag\x00loch"}, "category"),
    ],
)
def test_nul_bytes_are_refused_with_a_message(category, fields, key):
    # PostgreSQL cannot store a NUL byte in a text column: refused here, so it never reaches the database.
    errors = rejected(**fields)
    assert list(errors) == [key]
