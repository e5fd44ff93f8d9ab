"""Benchmark: the duplicate look-up "Schon gemeldet?" (`nearby_open_reports`) on many stored reports.

    python bench/nearby.py                      # 1,000,000 reports, throwaway SQLite database
    python bench/nearby.py --smoke              # 20,000 reports (CI, < 60 s)
    python bench/nearby.py --database-url postgres://...   # the same on PostgreSQL (tables are dropped after)

Fills the database with N reports spread uniformly over CITY_BOUNDS (13 categories, about 35 % open, 95 %
public, created over the last two years; direct bulk_create, no intake), then times 1,000 look-ups at random
points with random categories, as the form runs them (default radius 50 m, last 90 days, with photos).
Prints median and p95. Target: median <= 5 ms.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annual_report import machine  # noqa: E402


def setup_django(data_dir: str, database_url: str | None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ["DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "stadtdigital.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["HTTPS_ONLY"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(count: int, seed: int = 1) -> list:
    import datetime

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from stadtdigital.core.models import Department
    from stadtdigital.reports.models import Category, CategoryGroup, Report, State, Visibility

    rng = random.Random(seed)
    department, _ = Department.objects.get_or_create(name="Bench-Amt", slug="bench-amt")
    group, _ = CategoryGroup.objects.get_or_create(name="Bench")
    categories = [
        Category.objects.get_or_create(
            code=f"bench-{index}",
            defaults={"name": f"Bench {index}", "group": group, "department": department},
        )[0]
        for index in range(13)
    ]
    south, west, north, east = settings.CITY_BOUNDS
    now = timezone.now()
    two_years = 2 * 365 * 86400
    open_states = [State.RECEIVED, State.IN_REVIEW, State.IN_PROGRESS]
    closed_states = [State.FIXED, State.FIXED, State.CLOSED_NOT_FIXED, State.REJECTED, State.DUPLICATE]
    batch_size = 10_000
    made = 0
    while made < count:
        rows = []
        for _ in range(min(batch_size, count - made)):
            is_open = rng.random() < 0.35
            created = now - datetime.timedelta(seconds=rng.randrange(two_years))
            rows.append(
                Report(
                    category=rng.choice(categories),
                    department=department,
                    state=rng.choice(open_states if is_open else closed_states),
                    is_open=is_open,
                    visibility=Visibility.PUBLIC if rng.random() < 0.95 else Visibility.PENDING_CONFIRMATION,
                    description="Synthetische Meldung für den Benchmark",
                    lat=rng.uniform(south, north),
                    lon=rng.uniform(west, east),
                    created_at=created,
                    updated_at=created,
                )
            )
        with transaction.atomic():
            Report.objects.bulk_create(rows, batch_size=2_000)
        made += len(rows)
        print(f"\r  {made:,} reports stored", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return categories


def time_lookups(categories, runs: int, seed: int = 2) -> tuple[list[float], int]:
    from django.conf import settings

    from stadtdigital.reports.selectors.nearby import nearby_open_reports

    rng = random.Random(seed)
    south, west, north, east = settings.CITY_BOUNDS
    for _ in range(50):  # warm-up
        nearby_open_reports(rng.choice(categories), rng.uniform(south, north), rng.uniform(west, east))
    times, found = [], 0
    for _ in range(runs):
        category, lat, lon = rng.choice(categories), rng.uniform(south, north), rng.uniform(west, east)
        start = time.perf_counter()
        result = nearby_open_reports(category, lat, lon)
        times.append((time.perf_counter() - start) * 1000)
        found += len(result)
    return times, found


def drop_tables() -> None:
    from stadtdigital.reports.models import Category, CategoryGroup, Event, Report

    Event.objects.all().delete()
    Report.objects.filter(category__code__startswith="bench-")._raw_delete(Report.objects.db)
    Category.objects.filter(code__startswith="bench-").delete()
    CategoryGroup.objects.filter(name="Bench").delete()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1_000)
    parser.add_argument("--smoke", action="store_true", help="20,000 reports, 300 look-ups")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL; default: throwaway SQLite")
    args = parser.parse_args()
    if args.smoke:
        args.count, args.runs = 20_000, 300
    with tempfile.TemporaryDirectory(prefix="stadtdigital-bench-") as data_dir:
        setup_django(data_dir, args.database_url)
        from django.db import connection

        engine = connection.vendor
        print(f"nearby: {args.count:,} reports on {engine}; {machine()}")
        start = time.perf_counter()
        categories = fill(args.count)
        print(f"  filled in {time.perf_counter() - start:.0f} s")
        times, found = time_lookups(categories, args.runs)
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        verdict = "OK" if median <= 5 else "SLOWER than target 5 ms"
        print(
            f"  {args.runs} look-ups: median {median:.2f} ms, p95 {p95:.2f} ms, max {max(times):.1f} ms; "
            f"{found / args.runs:.2f} reports found on average  {verdict}"
        )
        if args.database_url:
            drop_tables()
    return 0 if median <= 5 or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main())
