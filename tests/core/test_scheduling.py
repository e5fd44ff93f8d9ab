import datetime

import pytest

from stadtdigital.core import scheduling
from stadtdigital.core.models import DailyJobRun

CALLS: list[str] = []


def job_a():
    CALLS.append("a")
    return 1


def job_broken():
    raise RuntimeError("kaputt")


def job_b():
    CALLS.append("b")


A = "tests.core.test_scheduling.job_a"
B = "tests.core.test_scheduling.job_b"
BROKEN = "tests.core.test_scheduling.job_broken"
MISSING = "stadtdigital.reports.services.does_not_exist.job"


@pytest.fixture(autouse=True)
def clear_calls():
    CALLS.clear()


@pytest.mark.django_db
def test_a_job_runs_once_a_day_even_with_two_workers():
    day = datetime.date(2026, 3, 1)
    first = scheduling.run_due_daily_jobs(day, jobs=[A])  # worker 1
    second = scheduling.run_due_daily_jobs(day, jobs=[A])  # worker 2, same day
    assert [o.status for o in first] == ["enqueued"]
    assert [o.status for o in second] == ["already-run"]
    assert CALLS == ["a"]  # the test settings run tasks immediately
    scheduling.run_due_daily_jobs(day + datetime.timedelta(days=1), jobs=[A])
    assert CALLS == ["a", "a"]
    assert DailyJobRun.objects.filter(name=A).count() == 2


@pytest.mark.django_db
def test_claim_lost_to_a_concurrent_worker_skips(monkeypatch):
    day = datetime.date(2026, 3, 2)
    # Worker 2 saw no row yet, then worker 1 inserted it: the unique constraint decides.
    monkeypatch.setattr(DailyJobRun.objects, "filter", lambda **kw: DailyJobRun.objects.none())
    DailyJobRun.objects.create(name=A, day=day)
    outcome = scheduling.run_due_daily_jobs(day, jobs=[A])
    assert [o.status for o in outcome] == ["already-run"]
    assert CALLS == []


@pytest.mark.django_db
def test_broken_and_missing_jobs_do_not_stop_the_others():
    day = datetime.date(2026, 3, 3)
    outcomes = scheduling.run_due_daily_jobs(day, jobs=[MISSING, BROKEN, B])
    by_name = {o.name: o for o in outcomes}
    assert by_name[MISSING].status == "error" and "does_not_exist" in by_name[MISSING].error
    assert by_name[B].status == "enqueued"
    assert CALLS == ["b"]
    # a job that cannot be imported is not claimed: it runs once it exists
    assert not DailyJobRun.objects.filter(name=MISSING).exists()


def test_registry_collects_app_jobs():
    jobs = scheduling.daily_jobs()
    assert "stadtdigital.reports.services.privacy.purge_personal_data" in jobs
    assert "stadtdigital.reports.services.reminders.send_overdue_reminders" in jobs


@pytest.mark.django_db
def test_registered_purge_runs_through_the_scheduler():
    outcomes = scheduling.run_due_daily_jobs(
        datetime.date(2026, 3, 4), jobs=["stadtdigital.reports.services.privacy.purge_personal_data"]
    )
    assert outcomes[0].status == "enqueued"
