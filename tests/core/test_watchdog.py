"""Tasks of a worker that died are taken up again after TASK_WORKER_TIMEOUT_SECONDS, with back-off, and given
up after TASK_MAX_ATTEMPTS claims; a live worker's tasks are left alone."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stadtdigital.core import watchdog
from stadtdigital.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def running_task(*worker_ids, minutes_ago=5):
    return DBTaskResult.objects.create(
        task_path="stadtdigital.reports.tasks.photos.process_photo_task",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        worker_ids=list(worker_ids),
    )


def test_a_dead_workers_task_is_queued_again_after_a_back_off(settings):
    settings.TASK_WORKER_TIMEOUT_SECONDS = 60
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=timezone.now() - datetime.timedelta(minutes=3))
    task = running_task("dead")
    now = timezone.now()
    assert watchdog.requeue_abandoned_tasks(now) == (1, 0)
    task.refresh_from_db()
    assert task.status == "READY"
    assert task.run_after == now + datetime.timedelta(seconds=30)
    assert not DBTaskResult.objects.ready().exists()  # not before the back-off is over
    assert watchdog.backoff(2) == datetime.timedelta(seconds=60)


def test_a_live_workers_long_task_is_left_alone(settings):
    settings.TASK_WORKER_TIMEOUT_SECONDS = 60
    watchdog.beat("alive")
    task = running_task("alive", minutes_ago=30)
    assert watchdog.requeue_abandoned_tasks() == (0, 0)
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_claimed_just_now_is_left_alone(settings):
    settings.TASK_WORKER_TIMEOUT_SECONDS = 60
    task = running_task("unknown", minutes_ago=0)
    assert watchdog.requeue_abandoned_tasks() == (0, 0)
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_that_killed_its_worker_too_often_is_given_up(settings):
    settings.TASK_MAX_ATTEMPTS = 3
    task = running_task("a", "b", "c")
    assert watchdog.requeue_abandoned_tasks() == (0, 1)
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == watchdog.ABANDONED
    assert "3 times" in task.traceback


def test_old_heartbeats_are_forgotten():
    WorkerHeartbeat.objects.create(worker_id="gone", seen_at=timezone.now() - datetime.timedelta(days=2))
    watchdog.requeue_abandoned_tasks()
    assert not WorkerHeartbeat.objects.exists()


def test_a_failing_step_does_not_stop_the_round(monkeypatch):
    monkeypatch.setattr(watchdog, "requeue_abandoned_tasks", lambda: 1 / 0)
    monkeypatch.setattr(watchdog, "watchdog_jobs", lambda: ["tests.core.test_watchdog.record_call"])
    RECORDED.clear()
    watchdog.run_watchdog("w1")
    assert WorkerHeartbeat.objects.filter(worker_id="w1").exists()
    assert RECORDED == ["called"]


RECORDED: list[str] = []


def record_call():
    RECORDED.append("called")
