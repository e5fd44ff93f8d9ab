"""Daily jobs through the database, so any number of workers run each job once a day.

An app's AppConfig may declare `daily_jobs = ("dotted.path.to.callable", ...)`. `run_due_daily_jobs()` claims
each job for today by inserting a `DailyJobRun(name, day)` row; the unique constraint lets exactly one
worker win (a second worker's insert fails and it skips the job). The winner enqueues the job as a task
(`run_daily_job`), which the task worker runs. A job whose callable cannot be imported is reported and not
claimed (so it runs once it exists); a job that fails is logged and does not stop the others.
`stadtdigital worker` checks for due jobs every few minutes; the demo's in-process worker does too.
"""

import logging
import threading
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from stadtdigital.core.models import DailyJobRun

logger = logging.getLogger(__name__)
DEFAULT_INTERVAL_SECONDS = 600


@dataclass
class JobOutcome:
    name: str
    status: str  # "enqueued", "already-run", "error"
    error: str = ""


def daily_jobs() -> list[str]:
    """Every registered daily job (dotted paths), in app order, without repeats."""
    names = [name for config in apps.get_app_configs() for name in getattr(config, "daily_jobs", ())]
    return list(dict.fromkeys(names))


@task()
def run_daily_job(name: str):
    """Runs one daily job by its dotted path (the task the scheduler enqueues)."""
    result = import_string(name)()
    logger.info("Daily job %s done: %r", name, result)
    return result if isinstance(result, int | str | float | bool | type(None)) else repr(result)


def _claim(name: str, day) -> bool:
    try:
        with transaction.atomic():
            DailyJobRun.objects.create(name=name, day=day)
    except IntegrityError:
        return False
    return True


def run_due_daily_jobs(today=None, *, jobs: list[str] | None = None) -> list[JobOutcome]:
    """Enqueues every daily job that has not run today (local date); returns what happened to each."""
    day = today or timezone.localdate()
    outcomes = []
    for name in daily_jobs() if jobs is None else jobs:
        try:
            import_string(name)
        except ImportError as exc:
            logger.error("Daily job %s cannot be imported: %s", name, exc)
            outcomes.append(JobOutcome(name, "error", f"kann nicht geladen werden: {exc}"))
            continue
        if DailyJobRun.objects.filter(name=name, day=day).exists() or not _claim(name, day):
            outcomes.append(JobOutcome(name, "already-run"))
            continue
        try:
            run_daily_job.enqueue(name)
        except Exception as exc:  # noqa: BLE001 - one broken job must not stop the others
            logger.exception("Daily job %s failed", name)
            outcomes.append(JobOutcome(name, "error", str(exc)))
            continue
        outcomes.append(JobOutcome(name, "enqueued"))
    return outcomes


class DailyJobThread(threading.Thread):
    """Checks for due daily jobs every `interval` seconds until `stop()`; a daemon thread."""

    def __init__(self, interval: float = DEFAULT_INTERVAL_SECONDS):
        super().__init__(name="stadtdigital-daily-jobs", daemon=True)
        self.interval = interval
        self._stopped = threading.Event()

    def run(self):
        while not self._stopped.is_set():
            try:
                run_due_daily_jobs()
            except Exception:  # keep checking; a database hiccup must not end the loop
                logger.exception("Checking daily jobs failed")
            finally:
                close_old_connections()
            self._stopped.wait(self.interval)

    def stop(self):
        self._stopped.set()


def start_daily_job_thread(interval: float = DEFAULT_INTERVAL_SECONDS) -> DailyJobThread:
    thread = DailyJobThread(interval)
    thread.start()
    return thread
