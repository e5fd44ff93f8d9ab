"""Mängelmelder wording (issue 9, item 13): distances people can read, no repeated department, history lines
without "eingegangen : eingegangen", one mail signature and one way of numbering ("Nr. 5003")."""

import re

import pytest
from django.core import mail
from django.template.loader import get_template

from stadtdigital.reports.models import State
from stadtdigital.reports.selectors.nearby import distance_text
from stadtdigital.reports.services import workflow
from stadtdigital.reports.services.intake import ReportInput, submit_report

EMAIL_TEMPLATES = (
    "acknowledge.txt",
    "alert_confirm.txt",
    "alert_new_report.txt",
    "confirm_report.txt",
    "reminder.txt",
    "status.txt",
    "status_forwarded.txt",
    "subscription_confirm.txt",
)


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (0.0, "am selben Ort"),
        (2.4, "am selben Ort"),
        (4, "weniger als 10 m entfernt"),
        (9.9, "weniger als 10 m entfernt"),
        (12, "ca. 10 m entfernt"),
        (37, "ca. 40 m entfernt"),
        (140, "ca. 150 m entfernt"),
    ],
)
def test_distance_text(metres, text):
    assert distance_text(metres) == text


def test_thanks_page_names_the_department_once(client, category):
    response = client.post(
        "/anliegen/neu/",
        {
            "kategorie": "schlagloch",
            "adresse": "",
            "lat": "49.142",
            "lon": "9.21",
            "description": "Tiefes Loch",
        },
    )
    assert response.status_code == 302, (
        response.status_code,
        re.findall(r"field-error[^>]*>([^<]+)", response.content.decode()),
    )
    page = client.get(response["Location"]).content.decode()
    department = category.department.name
    assert page.count(department) == 1, page
    assert f"{department} prüft Ihre Meldung; Ziel: erledigt innerhalb von" in page


def test_case_page_history_has_no_state_repeated_after_created(client, make_report, department_user):
    report = make_report()
    from stadtdigital.reports.models import EventKind
    from stadtdigital.reports.services.history import record_event

    record_event(report, EventKind.CREATED, to_state=State.RECEIVED)
    client.force_login(department_user)
    html = client.get(f"/verwaltung/anliegen/{report.pk}/").content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "<strong>eingegangen</strong>" in history
    assert not re.search(r"eingegangen</strong>\s*:\s*eingegangen", history)


def test_every_mail_is_signed_the_same_way():
    for name in EMAIL_TEMPLATES:
        source = get_template(f"reports/email/{name}").template.source
        assert '{% include "reports/email/_signature.txt" %}' in source, name
        assert "stadtdigital {{ CITY_NAME }}" not in source, name
    for name in ("acknowledge.html", "confirm_report.html", "subscription_confirm.html"):
        assert "_signature.html" in get_template(f"reports/email/{name}").template.source, name


def test_mails_number_reports_as_nr(
    make_report, department_user, settings, django_capture_on_commit_callbacks
):
    settings.CITY_NAME = "Musterstadt"
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(
            ReportInput(
                category="schlagloch",
                lat=49.142,
                lon=9.21,
                description="Tiefes Loch",
                reporter_email="a@example.org",
                privacy_consent=True,
            ),
            client_ip=None,
        ).report
    from stadtdigital.reports.services import confirmation

    confirmation.confirm_report(report.confirmation_token)
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_state(report, State.IN_PROGRESS, user=department_user, public_text="Wir kümmern uns.")
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        text = message.subject + "\n" + message.body
        assert f"#{report.pk}" not in text, text
        assert f"Nr. {report.pk}" in text, text
        assert message.body.rstrip().endswith("-- \nMängelmelder der Stadt Musterstadt"), message.body[-200:]
