"""The daily reminder: one mail per department, listing only its overdue open reports."""

import datetime

from django.core import mail
from django.utils import timezone

from stadtdigital.core import roles
from stadtdigital.reports.models import State, Visibility
from stadtdigital.reports.services.reminders import send_overdue_reminders
from stadtdigital.reports.tasks.reminders import send_overdue_reminders_task
from tests.conftest import make_user


def test_one_mail_per_department_with_only_its_overdue_reports(
    make_report, department, other_department, other_category
):
    department.email = "tiefbau@stadt.example"
    department.save()
    staff = make_user("gruen", roles.DEPARTMENT_STAFF, [other_department])
    staff.email = "gruen@stadt.example"
    staff.save()
    make_user("ohne-mail", roles.DEPARTMENT_STAFF, [other_department])
    now = timezone.now()
    late = now - datetime.timedelta(days=3)
    x1 = make_report(due_at=late, address="Hauptstraße 1")
    x2 = make_report(due_at=now - datetime.timedelta(days=10))
    not_due = make_report(due_at=now + datetime.timedelta(days=2))
    closed = make_report(due_at=late, state=State.FIXED, closed_at=now)
    pending = make_report(due_at=late, visibility=Visibility.PENDING_CONFIRMATION)
    y1 = make_report(category=other_category, due_at=late)
    mail.outbox.clear()

    result = send_overdue_reminders()

    assert result == {"mails": 2, "reports": 3, "departments_without_recipient": 0}
    assert len(mail.outbox) == 2
    to_x = next(m for m in mail.outbox if m.to == ["tiefbau@stadt.example"])
    to_y = next(m for m in mail.outbox if m.to == ["gruen@stadt.example"])
    for report in (x1, x2):
        assert f"Nr. {report.pk} " in to_x.body and f"/verwaltung/anliegen/{report.pk}/" in to_x.body
    for report in (not_due, closed, pending, y1):
        assert f"Nr. {report.pk} " not in to_x.body
    assert f"Nr. {y1.pk} " in to_y.body and f"Nr. {x1.pk} " not in to_y.body
    assert "3 Tage überfällig" in to_x.body and "10 Tage überfällig" in to_x.body
    assert "Hauptstraße 1" in to_x.body
    assert to_x.subject.startswith("2 überfällige Anliegen")


def test_no_overdue_reports_no_mail(make_report):
    make_report(due_at=timezone.now() + datetime.timedelta(days=1))
    mail.outbox.clear()
    assert send_overdue_reminders() == {"mails": 0, "reports": 0, "departments_without_recipient": 0}
    assert mail.outbox == []


def test_department_without_any_address_is_counted(make_report):
    make_report(due_at=timezone.now() - datetime.timedelta(days=1))
    mail.outbox.clear()
    assert send_overdue_reminders()["departments_without_recipient"] == 1
    assert mail.outbox == []


def test_reference_date_and_task(make_report, department):
    department.email = "tiefbau@stadt.example"
    department.save()
    make_report(due_at=timezone.now() + datetime.timedelta(days=3))
    assert send_overdue_reminders(today=timezone.localdate() + datetime.timedelta(days=5))["reports"] == 1
    mail.outbox.clear()
    result = send_overdue_reminders_task.enqueue()
    assert result.return_value == {"mails": 0, "reports": 0, "departments_without_recipient": 0}
