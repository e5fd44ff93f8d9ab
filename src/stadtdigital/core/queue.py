"""The state of the background task queue (django-tasks database backend): for /metrics and deep health."""

import datetime

from django.db.models import Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max

from stadtdigital.core.models import WorkerHeartbeat


def due_tasks(now: datetime.datetime | None = None):
    """Queued tasks a worker may take now (not those waiting for a later `run_after`, e.g. a back-off);
    django-tasks-db's own `ready()`, at a given time."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        _runs_asap() | Q(run_after__lte=now or timezone.now())
    )


def _runs_asap() -> Q:
    return Q(run_after=get_date_max())  # django-tasks-db's "no run_after"


def depth() -> int:
    return due_tasks().count()


def oldest_due_age_seconds(now: datetime.datetime | None = None) -> float:
    """How long the oldest due task has been waiting (0 when none): since it was queued, or, for a task
    queued to run later, since its `run_after`. The queue lag a city's monitoring alerts on."""
    now = now or timezone.now()
    waiting = due_tasks(now).aggregate(
        queued=Min("enqueued_at", filter=_runs_asap()), scheduled=Min("run_after", filter=~_runs_asap())
    )
    since = min((stamp for stamp in waiting.values() if stamp is not None), default=None)
    return max(0.0, (now - since).total_seconds()) if since else 0.0


def failed_count() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()


def running_count() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()


def latest_heartbeat() -> datetime.datetime | None:
    """When a worker last said it was alive (None: no worker has run yet)."""
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
