"""'Ist das Problem behoben?': the signed links in the 'erledigt' email, and 'nicht behoben' reopening the
report to its department (seen again in the department's queue)."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from stadtdigital.reports.models import EventKind, Report, State
from stadtdigital.reports.services import workflow


@pytest.fixture
def fixed_report(make_report, department_user):
    report = make_report(reporter_email="anna@example.org", assigned_to=department_user)
    mail.outbox.clear()
    event = workflow.change_state(report, State.FIXED, user=department_user, public_text="Verfüllt.")
    report.refresh_from_db()
    report.fixed_event = event
    return report


def link_from_mail(answer="nein"):
    body = next(m.body for m in mail.outbox if m.to == ["anna@example.org"])
    match = re.search(r"http://\S+/rueckmeldung/\S+\?antwort=" + answer, body)
    assert match, body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_not_fixed_reopens_and_department_sees_it_again(client, fixed_report, department_user):
    link = link_from_mail("nein")
    page = client.get(link)
    assert page.status_code == 200 and "Ist das Problem behoben?" in page.content.decode()
    assert Report.objects.get(pk=fixed_report.pk).state == State.FIXED  # GET (mail scanners) changes nothing
    path = link.split("?")[0]
    response = client.post(path, {"fixed": "nein", "comment": "Das Loch ist noch da, ich wohne in Nr. 12."})
    assert response.status_code == 200 and "wieder geöffnet" in response.content.decode()

    report = Report.objects.get(pk=fixed_report.pk)
    assert report.state == State.REOPENED and report.is_open and report.closed_at is None
    feedback = report.events.get(kind=EventKind.FEEDBACK)
    assert feedback.internal_note.startswith("Das Loch ist noch da") and not feedback.is_public
    reopen = report.events.filter(kind=EventKind.STATE).latest("id")
    assert reopen.to_state == State.REOPENED and reopen.is_public
    assert reopen.public_text == workflow.REOPENED_BY_CITIZEN_TEXT
    assert "Nr. 12" not in reopen.public_text

    client.force_login(department_user)
    queue = reverse("reports:backoffice-queue")
    for tab in ("fachbereich", "wieder", "meine"):
        listed = [r.pk for r in client.get(queue, {"ansicht": tab}).context["page"].object_list]
        assert report.pk in listed, tab
    # The link is used up.
    again = client.post(path, {"fixed": "nein"})
    assert "schon vor" in again.content.decode() or "nicht mehr aktuell" in again.content.decode()
    assert report.events.filter(kind=EventKind.FEEDBACK).count() == 1


def test_fixed_confirmation_records_feedback(client, fixed_report):
    path = link_from_mail("ja").split("?")[0]
    client.post(path, {"fixed": "ja", "comment": "Danke!"})
    report = Report.objects.get(pk=fixed_report.pk)
    assert report.state == State.FIXED
    feedback = report.events.get(kind=EventKind.FEEDBACK)
    assert feedback.data["fixed"] is True and feedback.internal_note == "Danke!"
    assert feedback.public_text == workflow.CONFIRMED_FIXED_TEXT
    assert "schon vor" in client.get(path).content.decode()


def test_tampered_link_gets_friendly_page(client, fixed_report):
    path = link_from_mail().split("?")[0]
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    for response in (client.get(tampered), client.post(tampered, {"fixed": "nein"})):
        assert response.status_code == 400
        assert "Dieser Link ist ungültig" in response.content.decode()
    other = reverse(
        "reports:feedback", kwargs={"pk": fixed_report.pk + 1000, "token": path.rstrip("/").split("/")[-1]}
    )
    assert client.get(other).status_code == 400
    assert (
        client.get(reverse("reports:feedback", kwargs={"pk": fixed_report.pk, "token": "x"})).status_code
        == 400
    )
    assert Report.objects.get(pk=fixed_report.pk).state == State.FIXED


def test_expired_link_gets_friendly_page(client, fixed_report):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
        token = workflow.feedback_token(fixed_report, fixed_report.fixed_event)
    path = reverse("reports:feedback", kwargs={"pk": fixed_report.pk, "token": token})
    for response in (client.get(path), client.post(path, {"fixed": "nein"})):
        assert response.status_code == 410
        assert "abgelaufen" in response.content.decode()
    assert Report.objects.get(pk=fixed_report.pk).state == State.FIXED


def test_link_outdated_after_staff_reopened(client, fixed_report, department_user):
    path = link_from_mail().split("?")[0]
    workflow.change_state(fixed_report, State.REOPENED, user=department_user)
    response = client.post(path, {"fixed": "nein"})
    assert "nicht mehr aktuell" in response.content.decode()
    assert not Report.objects.get(pk=fixed_report.pk).events.filter(kind=EventKind.FEEDBACK).exists()


def test_post_without_answer_shows_error(client, fixed_report):
    path = link_from_mail().split("?")[0]
    response = client.post(path, {"comment": "hm"})
    assert response.status_code == 400 and "Bitte wählen Sie eine Antwort." in response.content.decode()
    assert Report.objects.get(pk=fixed_report.pk).state == State.FIXED
