"""The email method and the sending path (queue after commit, retries, failed queue, re-routing), against
a real SMTP server (aiosmtpd) started by the test."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from stadtdigital.reports.models import (
    CategorySending,
    Dispatch,
    DispatchState,
    EventKind,
    Report,
    SendMethod,
    SendTarget,
    State,
)
from stadtdigital.reports.sending import services
from stadtdigital.reports.services import workflow
from stadtdigital.reports.services.confirmation import confirm_report
from stadtdigital.reports.services.intake import PhotoData, ReportInput, submit_report
from tests.reports.sending_servers import SMTPServer, free_port
from tests.reports.test_intake_helpers import jpeg_bytes, questions  # noqa: F401


@pytest.fixture
def smtp():
    with SMTPServer() as server, override_settings(**server.settings()):
        yield server


@pytest.fixture
def email_target(category):
    target = SendTarget.objects.create(
        name="Bauhof", method=SendMethod.EMAIL, endpoint="bauhof@stadt.example"
    )
    CategorySending.objects.create(category=category, target=target)
    return target


def submit(**fields):
    data = {"category": "schlagloch", "lat": 49.142, "lon": 9.21, "description": "Tiefes Loch vor Nr. 12"}
    return submit_report(ReportInput(**{**data, **fields}), client_ip="203.0.113.9")


@override_settings(SENDING_REPLY_TO="anliegen+{id}@stadt.example")
def test_new_report_reaches_the_body_by_mail_with_answers_photo_map_and_reply_address(
    smtp,
    email_target,
    category,
    questions,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # An outside body gets the answers to questions the city marked public, never the internal ones.
    questions["nummer"].is_public = True
    questions["nummer"].save()
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(
            photos=[PhotoData("loch.jpg", jpeg_bytes())],
            attributes={"nummer": "L-4711", "gefahr": questions["gefahr"].choices[0]["key"]},
            reporter_email="anna@example.org",
            reporter_name="Anna Muster",
            privacy_consent=True,
        ).report
        confirm_report(report.confirmation_token)  # sent once the reporter confirmed the address
    [(recipients, message)] = [m for m in smtp.messages if m[0] == ["bauhof@stadt.example"]]
    assert message["Reply-To"] == f"anliegen+{report.pk}@stadt.example"
    assert f"Nr. {report.pk}" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Tiefes Loch vor Nr. 12" in text and "Tiefes Loch vor Nr. 12" in html
    assert "Mastnummer: L-4711" in text
    assert "Gefahr für" not in text  # not marked public
    assert "openstreetmap.org/?mlat=49.142000" in text
    attachments = list(message.iter_attachments())
    assert [part.get_content_type() for part in attachments] == ["image/jpeg"]
    assert attachments[0].get_content()[:2] == b"\xff\xd8"
    # The body answers through us: the reporter's personal data is never passed on.
    raw = message.as_string()
    assert "anna@example.org" not in raw and "Anna Muster" not in raw
    dispatch = Dispatch.objects.get(report=report)
    assert (dispatch.state, dispatch.attempts, dispatch.target) == (DispatchState.SENT, 1, email_target)
    assert report.events.filter(kind=EventKind.NOTE, data__sending="sent").exists()


def test_sending_waits_for_the_commit(smtp, email_target, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = submit().report
        # Inside the transaction: stored as pending, nothing sent yet.
        assert Dispatch.objects.get(report=report).state == DispatchState.PENDING
    assert smtp.messages == [] and callbacks
    for callback in callbacks:
        callback()
    assert len(smtp.messages) == 1
    assert Dispatch.objects.get(report=report).state == DispatchState.SENT


def test_report_waiting_for_email_confirmation_is_sent_when_confirmed(
    smtp, email_target, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(reporter_email="anna@example.org", privacy_consent=True).report
    assert not Dispatch.objects.filter(report=report).exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirm_report(report.confirmation_token)
    assert Dispatch.objects.get(report=report).state == DispatchState.SENT
    assert [m for m in smtp.messages if m[0] == ["bauhof@stadt.example"]]


def test_mail_server_down_keeps_the_report_and_fails_visibly(
    email_target, django_capture_on_commit_callbacks
):
    closed_port = free_port()
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=closed_port,
            EMAIL_TIMEOUT=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = submit()
    report = Report.objects.get(pk=result.report.pk)  # the citizen's report is stored and answered
    dispatch = Dispatch.objects.get(report=report)
    # The test backend runs tasks inline and cannot defer a retry: the sending is failed at once.
    assert dispatch.state == DispatchState.FAILED and dispatch.attempts == 1
    assert "Mailserver" in dispatch.last_error and "refused" in dispatch.last_error.lower()
    assert report.events.filter(kind=EventKind.NOTE, data__sending="failed").exists()


def test_mail_server_refusing_the_message_fails_with_its_answer(
    smtp, email_target, django_capture_on_commit_callbacks
):
    smtp.handler.reply = "554 5.7.1 Nachricht abgelehnt"
    with django_capture_on_commit_callbacks(execute=True):
        report = submit().report
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.state == DispatchState.FAILED
    assert "Nachricht abgelehnt" in dispatch.last_error


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, SENDING_RETRY_DELAYS=(60, 300)
)
def test_failures_are_retried_with_growing_delays_then_failed(email_target, make_report):
    from django_tasks_db.models import DBTaskResult

    report = make_report()
    dispatch = Dispatch.objects.create(report=report, target=email_target, reason="new")
    down = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": free_port(),
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**down):
        before = timezone.now()
        assert services.run_dispatch(dispatch.pk) == DispatchState.PENDING
        queued = DBTaskResult.objects.get()
        assert queued.args_kwargs["args"] == [dispatch.pk]
        assert (
            before + datetime.timedelta(seconds=59)
            <= queued.run_after
            <= timezone.now() + datetime.timedelta(seconds=61)
        )
        assert services.run_dispatch(dispatch.pk) == DispatchState.PENDING
        latest = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert latest.run_after >= timezone.now() + datetime.timedelta(seconds=299)
        assert services.run_dispatch(dispatch.pk) == DispatchState.FAILED
    dispatch.refresh_from_db()
    assert dispatch.attempts == 3 and dispatch.last_error


def test_failed_queue_shows_the_error_and_erneut_senden_delivers(
    client, smtp, email_target, make_report, department_user, django_capture_on_commit_callbacks
):
    report = make_report()
    dispatch = Dispatch.objects.create(
        report=report,
        target=email_target,
        reason="new",
        state=DispatchState.FAILED,
        attempts=6,
        last_error="Mailserver: Connection refused",
    )
    client.force_login(department_user)
    page = client.get(reverse("reports:sending-failed"))
    assert page.status_code == 200
    assert f"#{report.pk}" in page.content.decode() and "Connection refused" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:sending-retry", args=[dispatch.pk]))
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.SENT
    assert len(smtp.messages) == 1
    after = client.get(reverse("reports:sending-failed")).content.decode()
    assert (
        reverse("reports:sending-retry", args=[dispatch.pk]) not in after
        and "Connection refused" not in after
    )


def test_failed_queue_and_retry_only_for_reports_the_user_may_change(
    client, email_target, make_report, other_category, django_user_model
):
    from tests.conftest import make_user

    report = make_report(category=other_category)
    dispatch = Dispatch.objects.create(
        report=report, target=email_target, reason="new", state=DispatchState.FAILED, last_error="kaputt"
    )
    from stadtdigital.core import roles
    from stadtdigital.core.models import Department

    outsider = make_user("aussen", roles.DEPARTMENT_STAFF, [Department.objects.get(slug="digitalisierung")])
    client.force_login(outsider)
    assert "kaputt" not in client.get(reverse("reports:sending-failed")).content.decode()
    assert client.post(reverse("reports:sending-retry", args=[dispatch.pk])).status_code == 403
    dispatch.refresh_from_db()
    assert dispatch.state == DispatchState.FAILED


def test_recategorising_sends_to_the_new_categorys_target(
    smtp,
    make_report,
    category,
    other_category,
    department_user,
    digital_office_user,
    django_capture_on_commit_callbacks,
):
    stadtwerke = SendTarget.objects.create(
        name="Stadtwerke", method=SendMethod.EMAIL, endpoint="sw@stadtwerke.example"
    )
    CategorySending.objects.create(category=other_category, target=stadtwerke)
    report = make_report()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_category(report, other_category, digital_office_user)
    dispatch = Dispatch.objects.get(report=report)
    assert (dispatch.target, dispatch.reason, dispatch.state) == (stadtwerke, "category", DispatchState.SENT)
    assert [m[0] for m in smtp.messages] == [["sw@stadtwerke.example"]]


def test_nicht_zustaendig_sends_to_the_named_body_after_the_commit(
    smtp, make_report, department_user, django_capture_on_commit_callbacks
):
    landkreis = SendTarget.objects.create(
        name="Landratsamt", method=SendMethod.EMAIL, endpoint="post@lra.example"
    )
    report = make_report(reporter_email="anna@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = workflow.change_state(
            report, State.NOT_RESPONSIBLE, user=department_user, forwarded_to="landratsamt"
        )
    to_body = [m for m in smtp.messages if m[0] == ["post@lra.example"]]
    assert to_body == []  # never inside the transaction that changed the state
    assert "eingereiht" in event.internal_note
    for callback in callbacks:
        callback()
    dispatch = Dispatch.objects.get(report=report)
    assert (dispatch.target, dispatch.reason, dispatch.state) == (landkreis, "forwarded", DispatchState.SENT)
    [(recipients, message)] = [m for m in smtp.messages if m[0] == ["post@lra.example"]]
    assert "anna@example.org" not in message.as_string()


def test_department_target_is_the_default_and_no_target_means_no_sending(
    smtp, category, department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unsent = submit().report
    assert not Dispatch.objects.filter(report=unsent).exists()
    SendTarget.objects.create(
        name="Tiefbau-Postfach", method=SendMethod.EMAIL, endpoint="tb@stadt.example", department=department
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = submit(description="Noch ein Loch").report
    assert Dispatch.objects.get(report=sent).target.name == "Tiefbau-Postfach"
    assert [m[0] for m in smtp.messages] == [["tb@stadt.example"]]
