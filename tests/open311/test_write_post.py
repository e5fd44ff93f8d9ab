"""POST requests.{json,xml}: both encodings, media, attributes, every error, per-key rate limit.

Until read.py routes `POST requests.{json,xml}`, these tests mount `write.post_request` themselves (same
middleware stack, CSRF included); the route below mirrors what read.py does.
"""

import json
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import include, path
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from stadtdigital.core.models import RateCounter
from stadtdigital.open311 import services, tokens
from stadtdigital.open311.models import ApiClient
from stadtdigital.open311.views import write
from stadtdigital.reports.models import AttributeValue, Category, PhotoStatus, Report, Source, Visibility
from tests.reports.test_intake_helpers import jpeg_bytes, png_bytes

urlpatterns = [
    path("open311/v2/requests.<str:fmt>", write.post_request),
    path("", include("stadtdigital.urls")),
]

pytestmark = pytest.mark.urls(__name__)

GOOD = {
    "service_code": "schlagloch",
    "lat": "49.142",
    "long": "9.21",
    "description": "Tiefes Loch vor Nr. 12",
}


def post(client, fmt="json", key=None, **fields):
    data = {**GOOD, **fields}
    if key is not None:
        data["api_key"] = key
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(f"/open311/v2/requests.{fmt}", data, REMOTE_ADDR="203.0.113.9")


def post_multipart(client, key, files, fmt="json", **fields):
    return client.post(
        f"/open311/v2/requests.{fmt}",
        {**GOOD, "api_key": key, **fields, "media": files},
        REMOTE_ADDR="203.0.113.9",
    )


def errors_of(response) -> list[tuple[int, str]]:
    if response["Content-Type"].startswith("application/json"):
        return [(item["code"], item["description"]) for item in json.loads(response.content)]
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "errors"
    return [(int(error.findtext("code")), error.findtext("description")) for error in root.findall("error")]


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)


# --- success --------------------------------------------------------------------------------------------


def test_urlencoded_json_creates_a_public_api_report(client, category, open311_client):
    api_client, key = open311_client
    response = client.post(
        "/open311/v2/requests.json",
        f"api_key={key}&jurisdiction_id=stadt.example&service_code=schlagloch&lat=49.142&long=9.21"
        "&description=Tiefes+Loch+vor+Nr.+12&device_id=dev-1&account_id=acc-7"
        "&media_url=https%3A%2F%2Fexample.org%2Floch.jpg",
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (item,) = json.loads(response.content)
    report = Report.objects.get()
    assert item == {
        "service_request_id": str(report.pk),
        "service_notice": "Zuständig: Amt für Digitalisierung. Ziel: erledigt innerhalb von 10 Tagen.",
        "account_id": "acc-7",
    }
    assert report.source == Source.API and report.api_client == "Test-App"
    assert (report.device_id, report.account_id) == ("dev-1", "acc-7")
    assert report.visibility == Visibility.PUBLIC and report.department == category.department
    assert report.privacy_consent_at is None  # no personal data sent
    assert report.events.get().data["media_urls"] == ["https://example.org/loch.jpg"]
    api_client.refresh_from_db()
    assert api_client.requests_count == 1 and api_client.last_used_at is not None


def test_xml_with_email_returns_token_and_sends_confirmation_mail(
    client, category, open311_client, django_capture_on_commit_callbacks
):
    _, key = open311_client
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            "xml",
            key,
            email="anna@example.org",
            first_name="Anna",
            last_name="Muster",
            phone="0711 123",
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    report = Report.objects.get()
    assert request.findtext("token") == tokens.token_for(report.pk)
    assert request.find("service_request_id") is None  # never both
    assert "10 Tagen" in request.findtext("service_notice")
    assert request.find("account_id") is None  # no value: left out
    assert report.visibility == Visibility.PENDING_CONFIRMATION
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == (
        "Anna Muster",
        "anna@example.org",
        "0711 123",
    )
    assert report.privacy_consent_at is not None and not report.show_name
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"] and str(report.confirmation_token) in message.body


def test_multipart_with_several_media_stores_and_processes_all(
    client, category, open311_client, open311_media, django_capture_on_commit_callbacks
):
    _, key = open311_client
    files = [upload("a.jpg", jpeg_bytes()), upload("b.png", png_bytes(), "image/png")]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_multipart(client, key, files)
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert [photo.status for photo in report.photos.order_by("position")] == [PhotoStatus.READY] * 2


def test_attributes_single_and_multi_values(client, category, questions, open311_client):
    _, key = open311_client
    body = (
        f"api_key={key}&service_code=schlagloch&lat=49.142&long=9.21&description=Loch+am+Rand"
        "&attribute[gefahr]=rad&attribute[wo][]=fahrbahn&attribute[wo][]=gehweg&attribute[tiefe]=12"
        "&attribute[nummer]=A-17"
    )
    response = client.post(
        "/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200, response.content
    values = dict(AttributeValue.objects.values_list("question__code", "value"))
    assert values == {"gefahr": "rad", "wo": ["fahrbahn", "gehweg"], "tiefe": 12, "nummer": "A-17"}


def test_single_value_for_a_multivaluelist_is_accepted(client, category, questions, open311_client):
    response = post(client, key=open311_client[1], **{"attribute[gefahr]": "auto", "attribute[wo]": "gehweg"})
    assert response.status_code == 200, response.content
    assert AttributeValue.objects.get(question__code="wo").value == ["gehweg"]


def test_address_string_is_located(client, category, open311_client):
    response = post(client, key=open311_client[1], lat=None, long=None, address_string="hauptstr 12")
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.address == "Hauptstraße 12" and 49.10 <= report.lat <= 49.19


def test_address_id_is_accepted_only_with_another_location(client, category, open311_client):
    _, key = open311_client
    response = post(client, key=key, lat=None, long=None, address_id="4711")
    assert response.status_code == 400
    ((code, text),) = errors_of(response)
    assert code == 400 and text.startswith("address_id:")
    response = post(client, key=key, lat=None, long=None, address_id="4711", address_string="Hauptstraße 12")
    assert response.status_code == 200 and Report.objects.count() == 1


def test_csrf_is_not_required(category, open311_client):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, key=open311_client[1]).status_code == 200


# --- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_key_is_403_in_the_requested_format(client, category, fmt):
    response = post(client, fmt)
    assert response.status_code == 403
    ((code, text),) = errors_of(response)
    assert code == 403 and "api_key" in text
    assert Report.objects.count() == 0


@pytest.mark.parametrize("key", ["falsch", "x" * 500, "a\x00b"])
def test_wrong_key_is_403(client, category, open311_client, key):
    response = post(client, key=key)
    assert response.status_code == 403 and errors_of(response)[0][0] == 403
    assert Report.objects.count() == 0


def test_revoked_key_is_403(client, category, open311_client):
    api_client, key = open311_client
    services.revoke(api_client)
    response = post(client, "xml", key)
    assert response.status_code == 403 and "gesperrt" in errors_of(response)[0][1]
    assert Report.objects.count() == 0


def test_unknown_service_code_is_404_and_names_the_parameter(client, category, open311_client):
    response = post(client, "xml", open311_client[1], service_code="gibtsnicht")
    assert response.status_code == 404
    ((code, text),) = errors_of(response)
    assert code == 404 and text.startswith("service_code:")


def test_missing_or_inactive_service_code_is_400(client, category, open311_client):
    _, key = open311_client
    response = post(client, key=key, service_code=None)
    assert response.status_code == 400 and errors_of(response)[0][1].startswith("service_code:")
    Category.objects.filter(pk=category.pk).update(is_active=False)
    response = post(client, key=key)
    assert response.status_code == 400 and "keine Meldungen mehr" in errors_of(response)[0][1]


@pytest.mark.parametrize(
    "fields, start",
    [
        ({"lat": None, "long": None}, "lat/long/address_string:"),
        ({"lat": "49.142", "long": None}, "lat/long/address_string:"),
        ({"lat": "52.52", "long": "13.40"}, "lat/long/address_string: Der Ort liegt außerhalb"),
        ({"lat": "abc", "long": "9.21"}, "lat/long/address_string: Die Koordinaten sind ungültig"),
        ({"description": "ab"}, "description:"),
        ({"email": "keine-adresse"}, "email:"),
        ({"phone": "ruf mich an"}, "phone:"),
        ({"first_name": "A" * 100, "last_name": "B" * 100}, "first_name/last_name:"),
        ({"media_url": "javascript:alert(1)"}, "media_url:"),
        ({"device_id": "a\x00b"}, "device_id:"),
    ],
)
def test_bad_input_is_400_naming_the_parameter(client, category, open311_client, fields, start):
    response = post(client, "json", open311_client[1], **fields)
    assert response.status_code == 400, response.content
    assert [code for code, _ in errors_of(response)] == [400]
    assert errors_of(response)[0][1].startswith(start)
    assert Report.objects.count() == 0


def test_bad_attributes_give_one_error_each(client, category, questions, open311_client):
    response = post(
        client,
        "xml",
        open311_client[1],
        **{"attribute[tiefe]": "tief", "attribute[wo][]": "dach", "attribute[farbe]": "rot"},
    )
    assert response.status_code == 400
    texts = [text for _, text in errors_of(response)]
    assert any(text.startswith("attribute[tiefe]: Bitte eine Zahl") for text in texts)
    assert any(text.startswith("attribute[wo]:") for text in texts)
    assert any(text.startswith("attribute[gefahr]: Bitte beantworten") for text in texts)  # required
    assert any(text.startswith("attribute[farbe]: Diese Angabe gehört nicht") for text in texts)
    assert Report.objects.count() == 0


def test_too_many_photos_is_400(client, category, open311_client, open311_media, settings):
    settings.REPORT_MAX_PHOTOS = 2
    files = [upload(f"{n}.jpg", jpeg_bytes()) for n in range(3)]
    response = post_multipart(client, open311_client[1], files)
    assert response.status_code == 400
    ((_, text),) = errors_of(response)
    assert text.startswith("media: Bitte höchstens 2 Fotos")
    assert Report.objects.count() == 0 and not any(open311_media.rglob("*.jpg"))


def test_bad_image_is_400(client, category, open311_client, open311_media):
    files = [upload("a.jpg", jpeg_bytes()), upload("b.jpg", b"kein Bild, nur Text")]
    response = post_multipart(client, open311_client[1], files, fmt="xml")
    assert response.status_code == 400
    ((_, text),) = errors_of(response)
    assert text.startswith("media: „b.jpg“")
    assert Report.objects.count() == 0


def test_several_errors_at_once(client, category, open311_client):
    response = post(client, key=open311_client[1], service_code="", lat=None, long=None, description="")
    assert response.status_code == 400
    starts = sorted(text.split(":")[0] for _, text in errors_of(response))
    assert starts == ["description", "lat/long/address_string", "service_code"]


def test_get_is_405_and_unreadable_body_is_400(client, category, open311_client):
    response = client.get("/open311/v2/requests.json")
    assert response.status_code == 405 and errors_of(response)[0][0] == 405
    response = client.post(
        "/open311/v2/requests.xml",
        b"--xyz\r\nkaputt",
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code in (400, 403)  # unreadable body: no key either
    assert errors_of(response)


def test_body_too_big_is_400_in_format(client, category, open311_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, key=open311_client[1], description="x" * 2000)
    assert response.status_code == 400 and errors_of(response)[0][0] == 400


def test_xml_error_text_is_well_formed_with_control_characters(client, category, open311_client):
    response = post(client, "xml", open311_client[1], lat=None, long=None, address_string="Nirgend\x01weg 9")
    assert response.status_code == 400
    assert "Nirgendweg" in errors_of(response)[0][1]


# --- rate limits ----------------------------------------------------------------------------------------


def test_rate_limit_per_key(client, category, open311_client, settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 100
    api_client, key = open311_client
    ApiClient.objects.filter(pk=api_client.pk).update(rate_limit_per_hour=2)
    other, other_key = services.create_key("Andere App")
    assert post(client, key=key).status_code == 200
    assert post(client, key=key, description="").status_code == 400  # bad requests count too
    response = post(client, "xml", key)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    ((code, text),) = errors_of(response)
    assert code == 429 and "höchstens 2 pro Stunde" in text
    assert post(client, key=other_key).status_code == 200  # per key
    assert RateCounter.objects.filter(key=f"rate:open311:{api_client.pk}").get().count == 3
    api_client.refresh_from_db()
    assert api_client.requests_count == 3 and Report.objects.count() == 2


def test_setting_gives_the_default_limit(settings, db):
    settings.OPEN311_KEY_RATE_LIMIT_PER_HOUR = 7
    assert services.create_key("App")[0].rate_limit_per_hour == 7


def test_per_address_limit_of_the_web_form_applies_too(client, category, open311_client, settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1
    assert post(client, key=open311_client[1]).status_code == 200
    response = post(client, "json", open311_client[1])
    assert response.status_code == 429 and errors_of(response)[0][0] == 429
    assert Report.objects.count() == 1


def test_a_relaying_server_is_held_to_its_key_limit_only(client, category, settings):
    from stadtdigital.open311 import services

    settings.REPORT_RATE_LIMIT_PER_HOUR = 1
    _, key = services.create_key("Stadt-App-Server", rate_limit_per_hour=3, relays_for_many=True)
    assert [post(client, key=key).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert Report.objects.count() == 3


def test_forwarded_address_counts_behind_the_proxy(client, category, open311_client, settings):
    settings.BEHIND_PROXY = True
    client.post(
        "/open311/v2/requests.json",
        {**GOOD, "api_key": open311_client[1]},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert RateCounter.objects.filter(key="rate:report:ip:198.51.100.23").exists()


# --- nothing a client sends gives a 500 -----------------------------------------------------------------

PARAMETER_NAMES = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "email",
    "first_name",
    "last_name",
    "phone",
    "device_id",
    "account_id",
    "media_url",
    "jurisdiction_id",
    "attribute[gefahr]",
    "attribute[wo][]",
    "attribute[]",
    "attribute[[x]]",
]


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(st.sampled_from(PARAMETER_NAMES), st.text(max_size=40), max_size=8),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_random_input_never_gives_a_server_error(client, category, questions, open311_client, fields, fmt):
    response = client.post(f"/open311/v2/requests.{fmt}", {"api_key": open311_client[1], **fields})
    assert response.status_code in (200, 400, 404, 429), response.content
    if response.status_code != 200:
        assert errors_of(response)


def test_service_notice_names_open_reports_of_the_category_close_by(client, category, open311_client):
    first = json.loads(post(client, key=open311_client[1]).content)[0]
    assert "bereits" not in first["service_notice"]
    second = json.loads(post(client, key=open311_client[1]).content)[0]
    assert str(first["service_request_id"]) in second["service_notice"]
    assert second["service_notice"].startswith(first["service_notice"])  # department and target stay first
