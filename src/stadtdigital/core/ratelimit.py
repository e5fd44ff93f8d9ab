"""Fixed-window rate limits counted in the database, so every app server behind the load balancer sees
the same count (no cache server needed). Works on SQLite and PostgreSQL.

    from stadtdigital.core import ratelimit
    if not ratelimit.hit(f"report:ip:{ip}", limit=10, window_seconds=3600):
        ...  # over the limit
"""

import datetime
import random

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from stadtdigital.core.models import RateCounter

# Keys of rate windows start with this; other users of RateCounter (none yet) keep their rows.
PREFIX = "rate:"
# Old windows are deleted now and then (on about one hit in CLEANUP_ONE_IN), not by a separate job.
CLEANUP_ONE_IN = 200
KEEP = datetime.timedelta(days=2)


def _window_start(now: datetime.datetime, window_seconds: int) -> datetime.datetime:
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % window_seconds, tz=datetime.UTC)


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Counts one request for `key` in the current window; True while the count is within `limit`.

    The increment is atomic: the row is created once (unique key + window; a concurrent creator's
    IntegrityError falls back to the update) and then incremented with an F() expression in the database,
    so two app servers never lose a count.
    """
    now = timezone.now()
    window_start = _window_start(now, window_seconds)
    full_key = PREFIX + key[:190]
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=full_key, window_start=window_start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=full_key, window_start=window_start, count=1)
            except IntegrityError:  # created by a concurrent request in the meantime
                RateCounter.objects.filter(key=full_key, window_start=window_start).update(
                    count=F("count") + 1
                )
        count = (
            RateCounter.objects.filter(key=full_key, window_start=window_start)
            .values_list("count", flat=True)
            .first()
        )
    if random.randrange(CLEANUP_ONE_IN) == 0:
        cleanup(now)
    return (count or 0) <= limit


def cleanup(now: datetime.datetime | None = None) -> int:
    """Deletes rate windows older than two days; returns how many."""
    now = now or timezone.now()
    deleted, _ = RateCounter.objects.filter(key__startswith=PREFIX, window_start__lt=now - KEEP).delete()
    return deleted
