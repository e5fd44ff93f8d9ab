"""Benchmark: clustered map requests (/anliegen/karte.json) with many stored reports.

    python bench/map_clusters.py                     # 1,000,000 reports (about 100,000 open), SQLite
    python bench/map_clusters.py --smoke             # 20,000 reports, quick (CI)
    python bench/map_clusters.py --database-url postgres://...   # an empty throwaway PostgreSQL database

Fills a throwaway database (SQLite in a temporary DATA_DIR unless --database-url) with reports spread over
settings.CITY_BOUNDS (60 % uniform, 40 % in a few dense hot spots), about 10 % open, 3 % not public. Then
times full HTTP requests through Django's test Client (URL routing, middleware, filter, SQL, JSON) for
random viewports of a 1280 x 800 px map: the whole city (zoom 12-13) and street level (zoom 17), default
filter (open reports). Prints median and p95; target p95 <= 100 ms.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

VIEW_W, VIEW_H = 1280, 800
HOT_SPOTS = 8


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
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test Client's "testserver" host through ALLOWED_HOSTS
    call_command("migrate", verbosity=0)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram} RAM, Python {platform.python_version()}, {platform.system()}"
    )


def fill(count: int, seed: int = 1) -> float:
    """Stores `count` reports directly (no intake), in batches. Returns seconds taken."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from stadtdigital.core.models import Department
    from stadtdigital.reports.models import (
        CLOSED_STATES,
        OPEN_STATES,
        Category,
        CategoryGroup,
        Report,
        Source,
    )

    started = time.perf_counter()
    rng = random.Random(seed)
    department = Department.objects.create(name="Bench-Amt", short_name="BA", slug="bench-amt")
    group = CategoryGroup.objects.create(name="Bench")
    categories = [
        Category.objects.create(code=f"bench-{i}", name=f"Kategorie {i}", group=group, department=department)
        for i in range(13)
    ]
    south, west, north, east = settings.CITY_BOUNDS
    spots = [
        (rng.uniform(south, north), rng.uniform(west, east), rng.uniform(0.002, 0.008))
        for _ in range(HOT_SPOTS)
    ]
    open_states, closed_states = sorted(OPEN_STATES), sorted(CLOSED_STATES)
    now = timezone.now()
    # Direct rows (executemany), not model instances: 1,000,000 ORM objects take minutes on a shared machine.
    columns = {
        "category_id": None,
        "department_id": department.pk,
        "state": None,
        "is_open": None,
        "visibility": None,
        "description": "Synthetische Meldung",
        "lat": None,
        "lon": None,
        "address": "",
        "created_at": None,
        "updated_at": None,
        "supporters_count": 0,
        "forwarded_to": "",
        "needs_triage": False,
        "source": Source.DEMO.value,
        "api_client": "",
        "device_id": "",
        "account_id": "",
        "reporter_name": "",
        "reporter_email": "",
        "reporter_phone": "",
        "show_name": False,
        "confirmation_token": None,
    }
    table = connection.ops.quote_name(Report._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - fixed names
    token_field = Report._meta.get_field("confirmation_token")
    date_field = Report._meta.get_field("created_at")
    batch, batch_size = [], 20_000
    for i in range(count):
        if rng.random() < 0.4:
            lat0, lon0, spread = rng.choice(spots)
            lat = min(max(rng.gauss(lat0, spread), south), north)
            lon = min(max(rng.gauss(lon0, spread * 1.5), west), east)
        else:
            lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        is_open = rng.random() < 0.1
        roll = rng.random()
        visibility = "hidden" if roll < 0.02 else "pending" if roll < 0.03 else "public"
        created = date_field.get_db_prep_save(
            now - datetime.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)), connection
        )
        row = dict(columns)
        row.update(
            category_id=categories[i % len(categories)].pk,
            state=str(rng.choice(open_states if is_open else closed_states)),
            is_open=is_open,
            visibility=visibility,
            lat=lat,
            lon=lon,
            created_at=created,
            updated_at=created,
            confirmation_token=token_field.get_db_prep_save(
                uuid.UUID(int=rng.getrandbits(128), version=4), connection
            ),
        )
        batch.append(tuple(row.values()))
        if len(batch) >= batch_size:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            batch = []
    if batch:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM sets the visibility map, without which an index-only scan still reads the table
        # (autovacuum does this in production a little after a bulk load).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


def viewport(lat: float, lon: float, zoom: int) -> str:
    import math

    width = VIEW_W * 360.0 / (256 * 2**zoom)
    height = VIEW_H * 360.0 / (256 * 2**zoom) * math.cos(math.radians(lat))
    return f"{lat - height / 2:.5f},{lon - width / 2:.5f},{lat + height / 2:.5f},{lon + width / 2:.5f}"


def time_requests(label: str, zooms: list[int], requests: int, street: bool, rng: random.Random) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    client = Client()
    south, west, north, east = settings.CITY_BOUNDS
    url = reverse("reports:map-data")
    times, features, totals = [], [], []
    for _ in range(requests):
        zoom = rng.choice(zooms)
        if street:
            lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        else:  # whole city, centre jittered as when a visitor pans a little
            lat = (south + north) / 2 + rng.uniform(-0.01, 0.01)
            lon = (west + east) / 2 + rng.uniform(-0.015, 0.015)
        params = {"bbox": viewport(lat, lon, zoom), "zoom": zoom}
        start = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.content[:300]
        data = response.json()
        times.append(elapsed * 1000)
        features.append(len(data["features"]))
        totals.append(data["total"])
    times.sort()
    return {
        "label": label,
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "features": statistics.median(features),
        "reports": statistics.median(totals),
    }


def explain_whole_city() -> None:
    """Prints the database's plan for the whole-city clustering query."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stadtdigital.reports.filters import ReportFilter
    from stadtdigital.reports.selectors import clusters
    from stadtdigital.reports.selectors import public as selectors

    report_filter = ReportFilter({}, queryset=selectors.public_reports())
    bbox = clusters.BBox(*settings.CITY_BOUNDS)
    with CaptureQueriesContext(connection) as captured:
        clusters.map_features(report_filter.filter_for_map(), bbox, 12)
    sql = captured.captured_queries[0]["sql"]
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        for row in cursor.fetchall():
            print("   ", *row)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="20,000 reports, 30 requests per view")
    parser.add_argument("--database-url", help="an EMPTY throwaway database (all its tables are filled)")
    parser.add_argument("--explain", action="store_true", help="print the plan of the whole-city query")
    parser.add_argument(
        "--keep-data-dir", help="SQLite: keep the database in this directory and reuse it next time"
    )
    args = parser.parse_args()
    if args.smoke:
        args.size, args.requests = 20_000, 30

    with tempfile.TemporaryDirectory(prefix="stadtdigital-bench-") as temp_dir:
        data_dir = args.keep_data_dir or temp_dir
        reuse = bool(args.keep_data_dir) and (Path(data_dir) / "stadtdigital.sqlite3").exists()
        setup_django(data_dir, args.database_url)
        from django.db import connection

        from stadtdigital.reports.models import Report, Visibility

        print(f"machine: {machine()}")
        version = (
            connection.cursor().connection.info.server_version
            if connection.vendor == "postgresql"
            else connection.Database.sqlite_version
        )
        print(f"database: {connection.vendor} {version}")
        seconds = 0.0 if reuse else fill(args.size)
        open_public = Report.objects.filter(visibility=Visibility.PUBLIC, is_open=True).count()
        print(f"stored {args.size:,} reports ({open_public:,} open and public) in {seconds:.1f} s")
        if args.explain:
            explain_whole_city()
        rng = random.Random(7)
        # warm-up (connection, caches, first-request imports)
        time_requests("warm-up", [13], 5, False, rng)
        results = [
            time_requests("whole city, zoom 12-13", [12, 13], args.requests, False, rng),
            time_requests("street level, zoom 17", [17], args.requests, True, rng),
        ]
        target_missed = False
        for result in results:
            verdict = "OK" if result["p95"] <= 100 else "SLOWER than target p95 100 ms"
            target_missed |= result["p95"] > 100
            print(
                f"{result['label']:<24} median {result['median']:6.1f} ms  p95 {result['p95']:6.1f} ms  "
                f"max {result['max']:6.1f} ms  ({args.requests} requests; median {result['reports']:,.0f} "
                f"reports in view as {result['features']:,.0f} markers)  {verdict}"
            )
    return 1 if target_missed and not args.smoke else 0


if __name__ == "__main__":
    sys.exit(main())
