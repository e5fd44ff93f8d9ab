"""Nothing stays stuck when a worker dies: heartbeats, abandoned tasks taken up again, app repair jobs.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again, so a worker killed
mid-task (kill -9, out of memory, power cut) leaves it RUNNING for ever. Every `stadtdigital worker` runs a
watchdog thread that
  * writes its heartbeat (`core.WorkerHeartbeat`) every TASK_HEARTBEAT_SECONDS;
  * puts a RUNNING task back in the queue when the worker that claimed it has been silent for
    TASK_WORKER_TIMEOUT_SECONDS, after a back-off; after TASK_MAX_ATTEMPTS claims it is marked FAILED
    (a task that kills its worker every time must not kill every worker for ever);
  * runs the apps' `watchdog_jobs` (AppConfig attribute, dotted paths), e.g. re-queueing photos whose
    task never got queued.
Tasks must therefore be safe to run twice (decision 0021).
"""

import datetime
import logging
import threading

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from stadtdigital.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
ABANDONED = "stadtdigital.core.watchdog.WorkerLost"


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker died too often while running it."""


def beat(worker_id: str, now: datetime.datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now or timezone.now()})


def backoff(attempt: int) -> datetime.timedelta:
    """Wait before attempt `attempt + 1`: 30 s, 1, 2, 4 ... minutes, at most an hour."""
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempt - 1, 0), 3600))


def requeue_abandoned_tasks(now: datetime.datetime | None = None) -> tuple[int, int]:
    """RUNNING tasks of silent workers back to READY (or FAILED after too many claims): (requeued, failed)."""
    now = now or timezone.now()
    timeout = datetime.timedelta(seconds=settings.TASK_WORKER_TIMEOUT_SECONDS)
    recent = WorkerHeartbeat.objects.filter(seen_at__gte=now - timeout)
    alive = set(recent.values_list("worker_id", flat=True))
    requeued = failed = 0
    running = DBTaskResult.objects.running().filter(started_at__lt=now - timeout)
    for task in running.only("id", "worker_ids", "started_at"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        attempts = len(task.worker_ids)
        still_running = DBTaskResult.objects.filter(pk=task.pk, status="RUNNING", started_at=task.started_at)
        if attempts >= settings.TASK_MAX_ATTEMPTS:
            failed += still_running.update(
                status="FAILED",
                finished_at=now,
                exception_class_path=ABANDONED,
                traceback=f"{ABANDONED}: the worker stopped while running this task ({attempts} times)",
            )
        else:
            requeued += still_running.update(status="READY", run_after=now + backoff(attempts))
    if requeued or failed:
        logger.warning("Tasks of stopped workers: %d queued again, %d given up", requeued, failed)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
    return requeued, failed


def watchdog_jobs() -> list[str]:
    names = [name for config in apps.get_app_configs() for name in getattr(config, "watchdog_jobs", ())]
    return list(dict.fromkeys(names))


def run_watchdog(worker_id: str | None = None) -> None:
    """One round: heartbeat, abandoned tasks, the apps' repair jobs; each failure logged, none fatal."""
    steps = [("heartbeat", lambda: beat(worker_id))] if worker_id else []
    steps.append(("abandoned tasks", requeue_abandoned_tasks))
    steps += [(name, import_string(name)) for name in watchdog_jobs()]
    for name, step in steps:
        try:
            step()
        except DatabaseError:  # the database may be away: drop the broken connection, the next round retries
            logger.exception("Watchdog step %s failed", name)
            close_old_connections()
        except Exception:  # noqa: BLE001 - one broken repair job must not stop the others
            logger.exception("Watchdog step %s failed", name)


class WatchdogThread(threading.Thread):
    def __init__(self, worker_id: str, interval: float):
        super().__init__(name="stadtdigital-watchdog", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self._stopped = threading.Event()

    def run(self):
        while not self._stopped.is_set():
            run_watchdog(self.worker_id)
            close_old_connections()
            self._stopped.wait(self.interval)

    def stop(self):
        self._stopped.set()


def start_watchdog(worker_id: str) -> WatchdogThread:
    thread = WatchdogThread(worker_id, settings.TASK_HEARTBEAT_SECONDS)
    thread.start()
    return thread
