"""The Open311 method and status back against a second stadtdigital instance (own process and database)
acting as the neighbouring jurisdiction's Open311 server."""

import json

import pytest
from django.test import override_settings

from stadtdigital.reports.models import (
    CategorySending,
    Dispatch,
    DispatchState,
    EventKind,
    SendMethod,
    SendTarget,
    State,
)
from stadtdigital.reports.sending import credentials
from stadtdigital.reports.sending.statusback import poll_open311_target
from stadtdigital.reports.services.confirmation import confirm_report
from stadtdigital.reports.services.intake import ReportInput, submit_report
from tests.reports.sending_servers import HTTPReceiver, SMTPServer, free_port

pytestmark = pytest.mark.usefixtures("second_instance")


@pytest.fixture
def smtp():
    with SMTPServer() as server, override_settings(**server.settings()):
        yield server


def make_target(category, url, api_key, **fields):
    target = SendTarget.objects.create(name="Landkreis", method=SendMethod.OPEN311, endpoint=url, **fields)
    credentials.set_secret(target, api_key)
    target.save()
    CategorySending.objects.create(category=category, target=target)
    return target


def remote_report(second_instance, report_id) -> dict:
    code = (
        "import json; from stadtdigital.reports.models import Report; "
        f"r = Report.objects.get(pk={int(report_id)}); "
        "print(json.dumps({'description': r.description, 'category': r.category.code, 'lat': r.lat, "
        "'state': r.state, 'source': r.source, 'email': r.reporter_email}))"
    )
    return json.loads(second_instance.shell(code).strip().splitlines()[-1])


def test_report_routed_there_is_created_there_and_its_status_comes_back_to_the_citizen(
    second_instance, smtp, category, django_capture_on_commit_callbacks
):
    target = make_target(category, second_instance.base_url, second_instance.api_key)
    data = ReportInput(
        category="schlagloch",
        lat=49.15,
        lon=9.2,
        description="Schlagloch an der K 2110",
        reporter_email="anna@example.org",
        privacy_consent=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(data, client_ip="203.0.113.5").report
        confirm_report(report.confirmation_token)
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.SENT, dispatch.last_error
    assert dispatch.external_id.isdigit()

    there = remote_report(second_instance, dispatch.external_id)
    assert there["description"] == "Schlagloch an der K 2110"
    assert there["category"] == "schlagloch" and abs(there["lat"] - 49.15) < 1e-6
    assert there["source"] == "api" and there["email"] == ""  # no personal data passed on

    # The neighbour's case worker fixes it there ...
    second_instance.shell(
        "from stadtdigital.reports.models import Report; from stadtdigital.reports.services import workflow; "
        f"workflow.change_state(Report.objects.get(pk={int(dispatch.external_id)}), 'fixed', user=None, "
        "system=True, public_text='Loch am 3.12. verfüllt.')"
    )
    # ... and the status poll brings it back here.
    smtp.handler.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_open311_target(target) == 1
    report.refresh_from_db()
    assert report.state == State.FIXED
    assert report.events.filter(
        kind=EventKind.STATE, is_public=True, public_text__contains="Loch am 3.12. verfüllt."
    ).exists()
    [(recipients, message)] = smtp.messages
    assert recipients == ["anna@example.org"]
    body = message.get_body(("plain",)).get_content()
    assert "Loch am 3.12. verfüllt." in body
    assert "/behoben/" in body or "behoben" in body.lower()  # the "behoben?" loop starts
    dispatch.refresh_from_db()
    assert dispatch.external_status == "fixed"

    # Polling again applies nothing twice.
    target.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_open311_target(target) == 0
    assert len(smtp.messages) == 1


def test_wrong_api_key_fails_visibly_without_retry(
    second_instance, category, django_capture_on_commit_callbacks
):
    make_target(category, second_instance.base_url, "falscher-schluessel")
    data = ReportInput(category="schlagloch", lat=49.15, lon=9.2, description="Tiefes Loch")
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(data, client_ip="203.0.113.5").report
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.FAILED
    assert "HTTP 403" in dispatch.last_error and "api_key" in dispatch.last_error


def test_category_mapped_to_the_other_servers_code(
    second_instance, category, django_capture_on_commit_callbacks
):
    make_target(
        category,
        second_instance.base_url,
        second_instance.api_key,
        service_codes={"schlagloch": "kreisstrasse"},
    )
    data = ReportInput(category="schlagloch", lat=49.15, lon=9.2, description="Riss in der Fahrbahn")
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(data, client_ip="203.0.113.5").report
    dispatch = Dispatch.objects.get(report=report)
    assert remote_report(second_instance, dispatch.external_id)["category"] == "kreisstrasse"


def test_unknown_service_code_there_fails_with_its_error(
    second_instance, category, django_capture_on_commit_callbacks
):
    make_target(
        category,
        second_instance.base_url,
        second_instance.api_key,
        service_codes={"schlagloch": "gibtsnicht"},
    )
    data = ReportInput(category="schlagloch", lat=49.15, lon=9.2, description="Tiefes Loch")
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(data, client_ip="203.0.113.5").report
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.FAILED and "HTTP 404" in dispatch.last_error
    assert "gibtsnicht" in dispatch.last_error


def test_target_down_fails_visibly(category, django_capture_on_commit_callbacks):
    make_target(category, f"http://127.0.0.1:{free_port()}/open311/v2", "egal")
    data = ReportInput(category="schlagloch", lat=49.15, lon=9.2, description="Tiefes Loch")
    with django_capture_on_commit_callbacks(execute=True):
        result = submit_report(data, client_ip="203.0.113.5")
    dispatch = Dispatch.objects.get(report=result.report)
    assert dispatch.state == DispatchState.FAILED and "Nicht erreichbar" in dispatch.last_error


def test_server_without_servicerequestupdates_is_read_through_requests(
    category, make_report, mailoutbox, django_capture_on_commit_callbacks
):
    """Mark-a-Spot and others offer no servicerequestupdates: status and status_notes of requests.json."""

    def respond(handler, body):
        if handler.path.startswith("/v2/servicerequestupdates.json"):
            return 404, [{"code": 404, "description": "not found"}]
        if handler.path.startswith("/v2/requests.json"):
            return 200, [
                {
                    "service_request_id": "MAS-17",
                    "status": "closed",
                    "status_notes": "Erledigt durch Bauhof.",
                    "updated_datetime": "2026-12-01T10:00:00+01:00",
                }
            ]
        return 404, []

    with HTTPReceiver(respond) as server:
        target = make_target(category, server.url + "/v2", "k")
        report = make_report(reporter_email="anna@example.org")
        Dispatch.objects.create(
            report=report, target=target, reason="new", state=DispatchState.SENT, external_id="MAS-17"
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert poll_open311_target(target) == 1
        assert any("service_request_id=MAS-17" in path for _m, path, _h, _b in server.requests)
    report.refresh_from_db()
    assert report.state == State.FIXED
    assert any("Erledigt durch Bauhof." in m.body for m in mailoutbox if m.to == ["anna@example.org"])
