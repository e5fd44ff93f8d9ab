"""The webhook method against a local HTTP receiver that verifies the HMAC signature and validates the body
against the shipped JSON Schema; failures (wrong key, 500, time-out, receiver down) stay visible; the
inbound status endpoint."""

import hashlib
import hmac
import json
import time
from pathlib import Path

import jsonschema
import pytest
from django.test import override_settings
from django.urls import reverse

from stadtdigital.reports.models import (
    CategorySending,
    Dispatch,
    DispatchState,
    SendMethod,
    SendTarget,
    State,
)
from stadtdigital.reports.sending import credentials
from stadtdigital.reports.services.intake import ReportInput, submit_report
from tests.reports.sending_servers import HTTPReceiver, free_port
from tests.reports.test_intake_helpers import questions  # noqa: F401

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "src/stadtdigital/reports/data/report-v1.schema.json").read_text()
)
SECRET = "geteiltes-geheimnis-der-stadtwerke"


def verifying_receiver(secret=SECRET):
    """Answers 401 for a bad signature, 422 for a body outside the schema, else 201 with its own id."""

    def respond(handler, body):
        timestamp = handler.headers.get("X-Stadtdigital-Timestamp", "")
        expected = (
            "sha256="
            + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected, handler.headers.get("X-Stadtdigital-Signature", "")):
            return 401, {"error": "Signatur ungültig"}
        if abs(time.time() - int(timestamp)) > 300:
            return 401, {"error": "zu alt"}
        try:
            jsonschema.validate(json.loads(body), SCHEMA, format_checker=jsonschema.FormatChecker())
        except jsonschema.ValidationError as exc:
            return 422, {"error": exc.message}
        return 201, {"id": "SW-2026-0815"}

    return HTTPReceiver(respond)


@pytest.fixture
def webhook_target(category):
    def make(url, secret=SECRET):
        target = SendTarget.objects.create(name="Stadtwerke", method=SendMethod.WEBHOOK, endpoint=url)
        credentials.set_secret(target, secret)
        target.save()
        CategorySending.objects.create(category=category, target=target)
        return target

    return make


def submit(**fields):
    data = {"category": "schlagloch", "lat": 49.142, "lon": 9.21, "description": "Laterne flackert"}
    return submit_report(ReportInput(**{**data, **fields}), client_ip="203.0.113.9").report


def test_webhook_body_is_signed_and_valid_against_the_schema(
    webhook_target,
    questions,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # An outside body gets the answers to questions the city marked public (like the public page).
    questions["nummer"].is_public = True
    questions["nummer"].save()
    with verifying_receiver() as receiver:
        webhook_target(receiver.url + "/eingang")
        with django_capture_on_commit_callbacks(execute=True):
            report = submit(attributes={"nummer": "L-4711", "gefahr": questions["gefahr"].choices[0]["key"]})
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.SENT, dispatch.last_error
    assert dispatch.external_id == "SW-2026-0815"
    [(method, path, headers, body)] = receiver.requests
    assert (method, path) == ("POST", "/eingang")
    assert headers["Idempotency-Key"] == str(dispatch.idempotency_key)
    document = json.loads(body)
    assert document["report"]["id"] == report.pk
    assert {"code": "nummer", "question": "Mastnummer", "value": "L-4711"} in document["report"]["answers"]


def test_schema_rejects_a_document_without_the_report_id():
    from stadtdigital.reports.sending.document import SCHEMA as SCHEMA_ID

    assert SCHEMA["$id"] == SCHEMA_ID
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema": SCHEMA_ID, "schema_version": "1", "event": "report.sent"}, SCHEMA)


def test_wrong_key_is_refused_not_retried_and_shown_with_the_receivers_error(
    webhook_target, django_capture_on_commit_callbacks
):
    with verifying_receiver() as receiver:
        webhook_target(receiver.url, secret="falscher-schluessel")
        with django_capture_on_commit_callbacks(execute=True):
            report = submit()
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.FAILED
    assert "HTTP 401" in dispatch.last_error and "Signatur ungültig" in dispatch.last_error


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_server_error_is_retried_later_and_the_report_kept(webhook_target, make_report):
    from stadtdigital.reports.sending.services import queue_send, run_dispatch

    with HTTPReceiver(lambda handler, body: (500, {"error": "Datenbank weg"})) as receiver:
        target = webhook_target(receiver.url)
        report = make_report()
        dispatch = queue_send(report, "new", target=target)
        assert run_dispatch(dispatch.pk) == DispatchState.PENDING  # a retry is queued, not given up
    dispatch.refresh_from_db()
    assert (
        dispatch.attempts == 1
        and "HTTP 500" in dispatch.last_error
        and "Datenbank weg" in dispatch.last_error
    )


@override_settings(SENDING_TIMEOUT_SECONDS=1)
def test_time_out_fails_visibly(webhook_target, django_capture_on_commit_callbacks):
    def slow(handler, body):
        time.sleep(2.5)
        return 200, {}

    with HTTPReceiver(slow) as receiver:
        webhook_target(receiver.url)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            report = submit()
        assert time.monotonic() - started < 2.4  # the request gave up after the configured time-out
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.FAILED and "Zeitüberschreitung" in dispatch.last_error


def test_receiver_down_fails_visibly(webhook_target, django_capture_on_commit_callbacks):
    webhook_target(f"http://127.0.0.1:{free_port()}/")
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.FAILED and "Nicht erreichbar" in dispatch.last_error


def test_inbound_status_change_reaches_history_and_citizen(
    client, webhook_target, make_report, mailoutbox, django_capture_on_commit_callbacks
):
    target = webhook_target("http://127.0.0.1:9/")
    secret = credentials.new_inbound_secret(target)
    target.save()
    report = make_report(reporter_email="anna@example.org")
    Dispatch.objects.create(report=report, target=target, reason="new", state=DispatchState.SENT)
    url = reverse("reports:sending-inbound", args=[target.pk])
    body = {
        "report_id": report.pk,
        "status": "fixed",
        "description": "Leuchtmittel getauscht.",
        "update_id": "t-1",
    }

    assert client.post(url, body, content_type="application/json").status_code == 401
    wrong = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer falsch")
    assert wrong.status_code == 401
    bad = client.post(
        url,
        {"report_id": "x", "status": "kaputt"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"report_id", "status"}
    report.refresh_from_db()
    assert report.state == State.RECEIVED  # bad input changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert ok.status_code == 200 and ok.json() == {"applied": True}
    report.refresh_from_db()
    assert report.state == State.FIXED
    assert report.events.filter(is_public=True, public_text__contains="Leuchtmittel getauscht.").exists()
    [mail] = [m for m in mailoutbox if m.to == ["anna@example.org"]]
    assert "Leuchtmittel getauscht." in mail.body and "behoben" in mail.body.lower()
    again = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert again.json() == {"applied": False}
    assert report.events.filter(public_text__contains="Leuchtmittel getauscht.").count() == 1


def test_stored_credentials_are_encrypted_and_never_shown(client, digital_office_user, category):
    client.force_login(digital_office_user)
    response = client.post(
        reverse("reports:sending-target-create"),
        {
            "name": "Stadtwerke",
            "method": "webhook",
            "endpoint": "https://sw.example/hook",
            "secret": SECRET,
            "categories": [category.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target = SendTarget.objects.get(name="Stadtwerke")
    assert SECRET not in target.secret_encrypted and credentials.secret_of(target) == SECRET
    assert CategorySending.objects.get(category=category).target == target
    page = client.get(reverse("reports:sending-target-edit", args=[target.pk])).content.decode()
    assert SECRET not in page and target.secret_encrypted not in page
    assert "Zugangsschlüssel ist hinterlegt" in page


def test_targets_are_managed_only_by_the_digital_office(client, department_user):
    client.force_login(department_user)
    assert client.get(reverse("reports:sending-targets")).status_code == 403
    assert (
        client.post(reverse("reports:sending-target-create"), {"name": "X", "method": "record"}).status_code
        == 403
    )
    assert not SendTarget.objects.exists()
