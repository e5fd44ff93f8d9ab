import datetime

from django.utils import timezone

from stadtdigital.core import ratelimit
from stadtdigital.core.models import RateCounter


def test_counts_per_key_within_the_limit(db):
    assert [ratelimit.hit("a", 2, 3600) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("b", 2, 3600)
    assert RateCounter.objects.get(key="rate:a").count == 3


def test_new_window_starts_fresh(db, monkeypatch):
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    monkeypatch.setattr(ratelimit.timezone, "now", lambda: start)
    assert ratelimit.hit("c", 1, 3600) and not ratelimit.hit("c", 1, 3600)
    monkeypatch.setattr(ratelimit.timezone, "now", lambda: start + datetime.timedelta(hours=1))
    assert ratelimit.hit("c", 1, 3600)


def test_cleanup_removes_old_windows_only(db):
    ratelimit.hit("d", 5, 3600)
    RateCounter.objects.create(key="rate:old", window_start=timezone.now() - datetime.timedelta(days=3))
    RateCounter.objects.create(key="other:old", window_start=timezone.now() - datetime.timedelta(days=3))
    assert ratelimit.cleanup() == 1
    assert set(RateCounter.objects.values_list("key", flat=True)) == {"rate:d", "other:old"}
