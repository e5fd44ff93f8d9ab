"""Daily job: the overdue reminder to each department (see services/reminders.py)."""

from django_tasks import task

from stadtdigital.reports.services.reminders import send_overdue_reminders


@task()
def send_overdue_reminders_task() -> dict:
    return send_overdue_reminders()
