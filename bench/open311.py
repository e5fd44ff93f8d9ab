"""Benchmark: the Open311 GeoReport v2 read API (`/open311/v2/requests.{json,xml}`) under load, via gunicorn.

    python bench/open311.py                          # 1,000,000 reports, throwaway SQLite database
    python bench/open311.py --smoke                  # 5,000 reports, few requests (CI, < 60 s)
    python bench/open311.py --data-dir /tmp/o311bench/data   # reuse a filled DATA_DIR (topped up to --count)
    python bench/open311.py --database-url postgres://...    # PostgreSQL (an empty throwaway database)

Runs `stadtdigital migrate` and `stadtdigital reports generate --count N` (subprocesses), serves the database
with `gunicorn stadtdigital.wsgi -w 2` on 127.0.0.1 (free port, DEBUG off) and times every Open311 list shape
(newest page, service_code, status, both, bbox street/district, lat/long/radius, updated_after, q) and the
single request: p50 over HTTP (keep-alive http.client, 1 client; `--concurrency 1,4,16` for more), p50 in
process (the same WSGI application, no sockets), and the raw-SQL floor (the page query's SQL and the page's
look-ups of its latest texts and first photos, by cursor.execute + fetchall). Also the public list's search
(first page + count) for a few German searches.
`--explain` prints each shape's query plan. Targets: every list shape <= 3 x its floor over HTTP; single
request <= 2 ms p50 over HTTP; search <= 20 ms p50.
"""

import argparse
import datetime
import http.client
import io
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annual_report import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def bench_env(data_dir: str, database_url: str | None) -> dict:
    env = dict(os.environ)
    env.update(
        DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="stadtdigital.settings",
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        HTTPS_ONLY="false",
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore:No directory at",  # WhiteNoise: no collected static files, not needed here
        PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "stadtdigital", *args], env=env, cwd=ROOT, check=True)


def setup_django(env: dict) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    warnings.filterwarnings("ignore", message="No directory at")
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "stadtdigital.wsgi",
        "-w",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    command += ["--log-level", "warning", "--timeout", "120"]
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def wait_healthy(server: subprocess.Popen, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def load(port: int, url: str, clients: int, total: int) -> tuple[list[float], float]:
    """`total` GETs of `url` over `clients` keep-alive threads; returns latencies (ms) and wall time (s)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    barrier = threading.Barrier(clients + 1)

    def client(count: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        barrier.wait()
        try:
            for _ in range(count):
                start = time.perf_counter()
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                mine.append((time.perf_counter() - start) * 1000)
                if response.status != 200:
                    errors.append(f"{url}: HTTP {response.status}")
                    return
        except OSError as exc:
            errors.append(f"{url}: {exc!r}")
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise RuntimeError(errors[0])
    return latencies, wall


def pick_cases() -> dict[str, str]:
    from django.db.models import Count, Max

    from stadtdigital.reports.models import Report, Visibility

    public = Report.objects.filter(visibility=Visibility.PUBLIC)
    code = public.values("category__code").annotate(n=Count("id")).order_by("-n")[0]["category__code"]
    newest = public.order_by("-id").values("id", "lat", "lon")[0]
    # Street level: about 300 m × 300 m around the newest report.
    lat, lon = newest["lat"], newest["lon"]
    bbox = f"{lon - 0.002:.6f},{lat - 0.00135:.6f},{lon + 0.002:.6f},{lat + 0.00135:.6f}"
    district = f"{lon - 0.02:.6f},{lat - 0.01:.6f},{lon + 0.02:.6f},{lat + 0.01:.6f}"
    # The last day of changes (a client following updates).
    last_change = public.aggregate(at=Max("updated_at"))["at"]
    after = (last_change - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    base = "/open311/v2/"
    return {
        "requests.json": base + "requests.json",
        "requests.xml": base + "requests.xml",
        "service_code": base + f"requests.json?service_code={code}",
        "status": base + "requests.json?status=open",
        "service_code+status": base + f"requests.json?service_code={code}&status=open",
        "bbox": base + f"requests.json?bbox={bbox}",
        # A district, about 6 % of the city: read by period, not by area (docs/decisions/0011).
        "bbox_district": base + f"requests.json?bbox={district}",
        "lat/long/radius": base + f"requests.json?lat={lat:.6f}&long={lon:.6f}&radius=300",
        "updated_after": base + f"requests.json?updated_after={after}",
        # German inflection: the generated texts say "Schlagloch" and "Schlaglöcher".
        "q": base + "requests.json?q=" + urllib.parse.quote("Schlaglöcher"),
        "single": base + f"requests/{newest['id']}.json",
    }


def count_rows(body: bytes) -> int:
    return body.count(b'"service_request_id"') or body.count(b"<request>")


def wsgi_get(application, url: str) -> tuple[int, bytes]:
    """One GET straight into the WSGI application gunicorn serves (no HTTP, no sockets)."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    body = b"".join(application(environ, lambda s, h, e=None: status.append(int(s.split()[0]))))
    return status[0], body


def server_times(cases: dict[str, str], runs: int = 20) -> dict[str, tuple[float, int]]:
    """Median time of each URL in this process, through the same WSGI application as under gunicorn."""
    from stadtdigital.wsgi import application

    result = {}
    for name, url in cases.items():
        for _ in range(3):  # warm-up
            wsgi_get(application, url)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            status, body = wsgi_get(application, url)
            times.append((time.perf_counter() - start) * 1000)
            assert status == 200, (url, status, body[:200])
        result[name] = (statistics.median(times), count_rows(body))
    return result


def page_sql(url: str) -> tuple[str, list] | None:
    """The SQL of the request page a list URL reads (the selector's query, as Django compiles it)."""
    from django.http import QueryDict

    from stadtdigital.open311 import selectors
    from stadtdigital.open311.views.read import filtered_requests

    path, _, query = url.partition("?")
    if not path.endswith(("requests.json", "requests.xml")):
        return None
    queryset, offset, limit = filtered_requests(QueryDict(query))
    page = queryset[offset : offset + limit].values(*selectors.REQUEST_COLUMNS, **selectors.REQUEST_TIMES)
    sql, params = page.query.sql_with_params()
    return sql, list(params)


def floor_times(cases: dict[str, str], runs: int = 20) -> dict[str, float]:
    """Median of reading each list case's columns by raw SQL: cursor.execute + fetchall of the page query
    and of the two look-ups that give the page's rows their latest public text (status_notes) and first
    photo (media_url), as the selector compiles them. What the rows cost to read, without Python around."""
    from django.db import connection

    from stadtdigital.core.db import IdList
    from stadtdigital.open311 import selectors

    result = {}
    for name, url in cases.items():
        found = page_sql(url)
        if found is None:
            continue
        sql, params = found
        extras = selectors._page_extras_sql(connection.vendor)
        times = []
        with connection.cursor() as cursor:
            for run in range(runs + 3):
                start = time.perf_counter()
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                ids = IdList.parameter([row[0] for row in rows], connection.vendor)
                for look_up in extras:
                    slot = look_up.slot
                    cursor.execute(look_up.sql, (*look_up.params[:slot], ids, *look_up.params[slot + 1 :]))
                    cursor.fetchall()
                if run >= 3:
                    times.append((time.perf_counter() - start) * 1000)
        result[name] = statistics.median(times)
    return result


# Searches as citizens type them, in other inflections than the generated texts use.
SEARCH_WORDS = ("Schlaglöcher", "Laternen", "Sperrmüll Sofa", "Papierkörbe", "Glasscherben", "Ampeln")


def search_times(runs: int = 20) -> dict[str, tuple[float, int]]:
    """Median time of the public list's search query (first page of 25, newest first, with the count the
    pager shows: up to SEARCH_COUNT_CAP, as the list counts a search), per search, over all public reports."""
    from stadtdigital.core.paging import CappedPaginator
    from stadtdigital.reports.filters import ReportFilter
    from stadtdigital.reports.selectors.public import public_reports
    from stadtdigital.reports.views.public import PAGE_SIZE, SEARCH_COUNT_CAP

    result = {}
    for words in SEARCH_WORDS:
        times = []
        for run in range(runs + 2):
            start = time.perf_counter()
            queryset = ReportFilter({"q": words, "status": "alle"}, queryset=public_reports()).qs
            count = CappedPaginator(queryset, PAGE_SIZE, SEARCH_COUNT_CAP).count
            list(queryset.values_list("id", flat=True)[:PAGE_SIZE])
            if run >= 2:
                times.append((time.perf_counter() - start) * 1000)
        result[words] = (statistics.median(times), count)
    return result


def print_plans(cases: dict[str, str]) -> None:
    from django.db import connection

    for name, url in cases.items():
        found = page_sql(url)
        if found is None:
            continue
        sql, params = found
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(explain + sql, params)
            lines = [" ".join(str(v) for v in row[-1:]) for row in cursor.fetchall()]
        print(f"  plan {name}:")
        for line in lines:
            print(f"    {line}")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000, help="reports in the database (1,000,000)")
    parser.add_argument("--requests", type=int, default=200, help="requests per case and concurrency (200)")
    parser.add_argument("--smoke", action="store_true", help="5,000 reports, 32 requests per cell")
    parser.add_argument("--data-dir", default=None, help="reuse this DATA_DIR (kept; topped up to --count)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL; default: SQLite in DATA_DIR")
    parser.add_argument("--concurrency", default="1", help="comma-separated client counts (1; e.g. 1,4,16)")
    parser.add_argument("--explain", action="store_true", help="print each list shape's query plan")
    args = parser.parse_args()
    concurrency = sorted({1, *(int(n) for n in args.concurrency.split(","))})
    if args.smoke:
        args.count, args.requests = 5_000, 32
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="stadtdigital-bench-")
    server = None
    try:
        env = bench_env(data_dir, args.database_url)
        started = time.perf_counter()
        manage(env, "migrate", "-v0")
        setup_django(env)
        from django.db import connection

        from stadtdigital.reports.models import Report

        have = Report.objects.count()
        if have < args.count:
            manage(env, "reports", "generate", "--count", str(args.count - have))
            have = Report.objects.count()
        print(f"open311: {have:,} reports on {connection.vendor}; {machine()}")
        print(f"  database ready in {time.perf_counter() - started:.0f} s")
        cases = pick_cases()
        connection.close()

        if args.explain:
            print_plans(cases)
        floors = floor_times(cases)
        print("  search (public list: first page of all public reports + its capped count, median of 20):")
        searches = search_times()
        for words, (median, count) in searches.items():
            print(f"    {words:<16} {median:>7.2f} ms  {count:>7} hits")
        search_p50 = statistics.median(median for median, _count in searches.values())
        print(f"    median over the searches {search_p50:.2f} ms (<= 20)")
        connection.close()

        port = free_port()
        server = start_gunicorn(env, port)
        wait_healthy(server, port)
        for url in cases.values():  # warm-up both workers
            load(port, url, 2, 4)
        print(f"  gunicorn -w 2 on 127.0.0.1:{port}; {args.requests} requests per cell, keep-alive")
        print(f"  {'case':<20} {'clients':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>8}")
        http_p50 = {}
        for name, url in cases.items():
            for clients in concurrency:
                latencies, wall = load(port, url, clients, max(args.requests, clients))
                if clients == 1:
                    http_p50[name] = statistics.median(latencies)
                print(
                    f"  {name:<20} {clients:>7} {statistics.median(latencies):>10.2f} "
                    f"{p95(latencies):>8.2f} {len(latencies) / wall:>8.1f}"
                )
        stop_gunicorn(server)

        times = server_times(cases)
        print("  per shape, medians (HTTP: 1 client; in process: the WSGI application, 20 runs; floor: the")
        print("  page's SQL and its texts/photos look-ups by cursor.execute + fetchall, 20 runs);")
        print("  target: HTTP <= 3 x floor")
        print(f"  {'case':<20} {'rows':>5} {'HTTP ms':>8} {'in-proc ms':>10} {'floor ms':>9} {'ratio':>6}")
        ok = True
        for name, (median, rows) in times.items():
            floor = floors.get(name)
            ratio = http_p50.get(name, float("nan")) / floor if floor else None
            if ratio is not None and ratio > 3:
                ok = False
            print(
                f"  {name:<20} {rows:>5} {http_p50.get(name, float('nan')):>8.2f} {median:>10.2f} "
                + (f"{floor:>9.2f} {ratio:>6.2f}" if floor else f"{'-':>9} {'-':>6}")
            )
        single = http_p50.get("single", float("nan"))
        ok = ok and single <= 2 and search_p50 <= 20
        print(
            f"  targets: every list shape <= 3 x its floor over HTTP; single request {single:.2f} ms over "
            "HTTP (<= 2)  " + ("OK" if ok else "NOT MET")
        )
    finally:
        if server is not None:
            stop_gunicorn(server)
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if ok or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main())
