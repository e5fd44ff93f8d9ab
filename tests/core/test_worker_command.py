import io

import pytest
from django.core.management import call_command

from stadtdigital.core.models import DailyJobRun


@pytest.mark.django_db(transaction=True)  # db_worker closes the connection when done
def test_worker_batch_runs_due_daily_jobs_then_queued_tasks(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from stadtdigital.core import scheduling

    monkeypatch.setattr(
        scheduling, "daily_jobs", lambda: ["stadtdigital.reports.services.privacy.purge_personal_data"]
    )
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("worker", "--batch", stdout=out, stderr=io.StringIO())
    assert DailyJobRun.objects.filter(name__endswith="purge_personal_data").count() == 1
    assert "eingereiht" in out.getvalue()
    row = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL"  # the batch worker ran the enqueued job
    call_command("worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
    assert DBTaskResult.objects.count() == 1  # not again on the same day


@pytest.mark.django_db(transaction=True)  # db_worker closes the connection when done
def test_worker_batch_without_daily_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("worker", "--batch", "--no-daily-jobs", stdout=io.StringIO(), stderr=io.StringIO())
    assert not DailyJobRun.objects.exists()
