"""Service levels: the daily reminder to each department about its overdue open reports.

Run daily by the scheduler: `stadtdigital.reports.tasks.reminders.send_overdue_reminders_task` (django-tasks)
or directly `stadtdigital.reports.services.reminders.send_overdue_reminders`.
"""

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from stadtdigital.core.mail import queue_mail
from stadtdigital.reports.models import Report, Visibility


def overdue_reports(now=None):
    """Open reports past their target date (reports still waiting for email confirmation excluded)."""
    now = now or timezone.now()
    return (
        Report.objects.filter(is_open=True, due_at__lt=now)
        .exclude(visibility=Visibility.PENDING_CONFIRMATION)
        .select_related("category", "department")
        .order_by("department_id", "due_at", "id")
    )


def days_overdue(due_at, now) -> int:
    tz = ZoneInfo(settings.TIME_ZONE)
    return max(1, (now.astimezone(tz).date() - due_at.astimezone(tz).date()).days)


def _reference_time(today):
    if today is None:
        return timezone.now()
    if isinstance(today, datetime.datetime):
        return today
    # A date: overdue as of the start of that day in the city's time zone.
    return datetime.datetime.combine(today, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def send_overdue_reminders(today=None) -> dict:
    """One email per department listing its overdue open reports; to the department's shared mailbox
    (Department.email), else to its active staff with an email address. Returns counts."""
    now = _reference_time(today)
    by_department = defaultdict(list)
    departments = {}
    for report in overdue_reports(now):
        departments[report.department_id] = report.department
        report.days_overdue = days_overdue(report.due_at, now)
        by_department[report.department_id].append(report)
    mails = reports_listed = 0
    without_recipient = []
    for department_id, reports in by_department.items():
        department = departments[department_id]
        recipients = (
            [department.email]
            if department.email
            else sorted(
                department.staff.filter(is_active=True).exclude(email="").values_list("email", flat=True)
            )
        )
        if not recipients:
            without_recipient.append(department.name)
            continue
        for report in reports:
            report.backoffice_url = settings.SITE_URL + reverse("reports:backoffice-report", args=[report.pk])
        queue_url = settings.SITE_URL + reverse("reports:backoffice-queue") + "?ansicht=ueberfaellig"
        with override(settings.LANGUAGE_CODE):
            subject = _("%(count)s überfällige Anliegen: %(department)s") % {
                "count": len(reports),
                "department": department.short_name or department.name,
            }
        queue_mail(
            recipients,
            subject,
            "reports/email/reminder",
            {"department": department, "reports": reports, "queue_url": queue_url, "now": now},
        )
        mails += 1
        reports_listed += len(reports)
    return {
        "mails": mails,
        "reports": reports_listed,
        "departments_without_recipient": len(without_recipient),
    }
