"""Benchmark: nginx as a caching reverse proxy in front of gunicorn, and what a citizen sees after a change.

    python bench/proxy_cache.py              # the demo data (5,000 reports), 3 rounds
    python bench/proxy_cache.py --smoke      # 500 generated reports, 1 short round, max-age 2 s (CI)

Prepares a throwaway DATA_DIR with `stadtdigital demo --load-only` (SQLite), serves it with
`gunicorn stadtdigital.wsgi -w 2` on 127.0.0.1, and starts nginx (Debian package `nginx`,
as a plain process with a configuration generated into a temporary directory, listening on 127.0.0.1 only)
with two servers in front of it: one with `proxy_cache` (honouring the app's `Cache-Control: public,
max-age=PUBLIC_CACHE_MAX_AGE` and revalidating with its ETag), one without. Measures:

1. Open311 `requests.json` (the newest 1000 requests, the spec's default) in requests per second through
   each, with keep-alive clients: medians of several rounds, and the ratio cached / uncached in the same run.
2. What a citizen sees after a status change: the proxy holds the report's Open311 request and the list;
   the report is set "in Bearbeitung" (service layer, as the back office does) and both URLs are polled
   every 50 ms through the cache until they show the new status. That time must be <= max-age.
3. The 304s: revalidating the cached list with its ETag through the proxy (what a client with a copy does).
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annual_report import machine  # noqa: E402

from open311 import (  # noqa: E402
    bench_env,
    free_port,
    load,
    manage,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LIST = "/open311/v2/requests.json"
NEW_STATUS = "Bench: wird bearbeitet."
# nginx keeps time in whole seconds; the app's s-maxage (max-age − 1) keeps a cached entry within max-age.
POLL_S = 0.05


def nginx_config(workdir: Path, upstream: int, cached: int, plain: int) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read what the master created
    return textwrap.dedent(
        f"""\
        {user}worker_processes 1;
        daemon off;
        pid {workdir}/nginx.pid;
        error_log {workdir}/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {workdir}/body;
            proxy_temp_path {workdir}/proxy;
            fastcgi_temp_path {workdir}/fastcgi;
            uwsgi_temp_path {workdir}/uwsgi;
            scgi_temp_path {workdir}/scgi;
            proxy_cache_path {workdir}/cache levels=1:2 keys_zone=stadtdigital:10m max_size=200m
                             inactive=10m use_temp_path=off;
            upstream app {{ server 127.0.0.1:{upstream}; keepalive 16; }}
            server {{
                listen 127.0.0.1:{cached};
                location / {{
                    proxy_pass http://app;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                    proxy_cache stadtdigital;
                    proxy_cache_revalidate on;  # If-None-Match / If-Modified-Since to the app when stale
                    proxy_cache_lock on;        # one request to the app per expired entry
                    add_header X-Cache-Status $upstream_cache_status;
                }}
            }}
            server {{
                listen 127.0.0.1:{plain};
                location / {{
                    proxy_pass http://app;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                }}
            }}
        }}
        """
    )


def start_nginx(workdir: Path, upstream: int) -> tuple[subprocess.Popen, int, int]:
    if not Path(NGINX).exists():
        raise SystemExit("nginx is not installed: apt-get install nginx (scripts/bench-smoke.sh does)")
    cached, plain = free_port(), free_port()
    config = workdir / "nginx.conf"
    config.write_text(nginx_config(workdir, upstream, cached, plain))
    check = subprocess.run([NGINX, "-t", "-q", "-c", str(config), "-p", str(workdir)], capture_output=True)
    if check.returncode:
        raise RuntimeError("nginx configuration: " + check.stderr.decode())
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(workdir)], start_new_session=True, stderr=subprocess.DEVNULL
    )
    for port in (cached, plain):
        deadline = time.monotonic() + 10
        while True:
            try:
                get(port, "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("nginx did not start; see " + str(workdir / "error.log")) from None
                time.sleep(0.1)
    return process, cached, plain


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def requests_per_second(port: int, clients: int, total: int) -> float:
    _latencies, wall = load(port, LIST, clients, total)
    return total / wall


def status_of(body: bytes, report_id: int) -> str | None:
    for item in json.loads(body):
        if item["service_request_id"] == str(report_id):
            return item.get("status_notes") or item["status"]
    return None


def change_status(env: dict) -> int:
    """Sets the newest open public report "in Bearbeitung" with a public text, as the back office does."""
    setup_django(env)
    from django.contrib.auth import get_user_model

    from stadtdigital.reports.models import OPEN_STATES, Report, State, Visibility
    from stadtdigital.reports.services import workflow

    report = (
        Report.objects.filter(visibility=Visibility.PUBLIC, state__in=OPEN_STATES)
        .exclude(state=State.IN_PROGRESS)
        .order_by("-created_at")
        .first()
    )
    user = get_user_model().objects.filter(
        is_superuser=True
    ).first() or get_user_model().objects.create_superuser("bench-admin", "bench@example.org", None)
    workflow.change_state(report, State.IN_PROGRESS, user=user, public_text=NEW_STATUS, notify=False)
    return report.pk


def newest_open_report(env: dict) -> int:
    setup_django(env)
    from stadtdigital.reports.models import OPEN_STATES, Report, State, Visibility

    return (
        Report.objects.filter(visibility=Visibility.PUBLIC, state__in=OPEN_STATES)
        .exclude(state=State.IN_PROGRESS)
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .first()
    )


def freshness(env: dict, cached: int, max_age: int) -> dict[str, float]:
    """Seconds from the status change until the proxy serves it, per URL."""
    report_id = newest_open_report(env)
    single = f"/open311/v2/requests/{report_id}.json"
    for path in (LIST, single):
        get(cached, path)
        status, headers, _ = get(cached, path)
        assert headers.get("X-Cache-Status") == "HIT", (path, headers.get("X-Cache-Status"))
    changed_id = change_status(env)
    assert changed_id == report_id
    changed_at = time.monotonic()
    seen: dict[str, float] = {}
    while len(seen) < 2 and time.monotonic() - changed_at < max_age + 5:
        for path in (LIST, single):
            if path in seen:
                continue
            _status, _headers, body = get(cached, path)
            if status_of(body, report_id) == NEW_STATUS:
                seen[path] = time.monotonic() - changed_at
        time.sleep(POLL_S)
    return {("list" if path == LIST else "single request"): seconds for path, seconds in seen.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick (CI)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200, help="uncached requests a round (cached: 10x)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-age", type=int, default=10, help="PUBLIC_CACHE_MAX_AGE of the app (s)")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.requests, args.clients, args.max_age = 1, 100, 4, 2

    workdir = Path(tempfile.mkdtemp(prefix="stadtdigital-proxy-cache-"))
    (workdir / "data").mkdir()
    env = bench_env(str(workdir / "data"), None)
    env["PUBLIC_CACHE_MAX_AGE"] = str(args.max_age)
    server = proxy = None
    try:
        started = time.perf_counter()
        if args.smoke:
            manage(env, "migrate", "--verbosity", "0")
            manage(env, "reports", "generate", "--count", "500")
        else:
            manage(env, "demo", "--load-only", "--verbosity", "0")
        print(f"data ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        upstream = free_port()
        server = start_gunicorn(env, upstream)
        wait_healthy(server, upstream)
        proxy, cached, plain = start_nginx(workdir, upstream)

        status, headers, body = get(plain, LIST)
        rows = len(json.loads(body))
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} (shared machine)")
        print(f"{LIST}: {rows} requests, {len(body) / 1024:.0f} KiB, {headers['Cache-Control']}")
        etag = headers["ETag"]
        revalidated = get(cached, LIST, {"If-None-Match": etag})
        print(f"revalidation through the proxy with the ETag: HTTP {revalidated[0]}")
        assert revalidated[0] == 304, revalidated[0]

        for port in (plain, cached):  # warm both paths (and the cache)
            requests_per_second(port, args.clients, max(args.clients, args.requests // 10))
        direct, uncached, with_cache = [], [], []
        for _round in range(args.rounds):
            direct.append(requests_per_second(upstream, args.clients, args.requests))
            uncached.append(requests_per_second(plain, args.clients, args.requests))
            with_cache.append(requests_per_second(cached, args.clients, args.requests * 10))
        results = {
            "gunicorn directly": statistics.median(direct),
            "nginx without cache": statistics.median(uncached),
            "nginx with proxy_cache": statistics.median(with_cache),
        }
        print(f"\nrequests.json, {args.clients} keep-alive clients, median of {args.rounds} round(s):")
        for name, value in results.items():
            print(f"  {name:<24} {value:8.0f} req/s")
        ratio = results["nginx with proxy_cache"] / results["nginx without cache"]
        print(f"  ratio cached / uncached: {ratio:.1f} x")

        seen = freshness(env, cached, args.max_age)
        print(f"\nafter a status change (PUBLIC_CACHE_MAX_AGE={args.max_age} s), the proxy serves it:")
        for name in ("list", "single request"):
            print(
                f"  {name:<16} "
                + (f"after {seen[name]:.1f} s" if name in seen else "NOT within max-age + 5 s")
            )
        limit = args.max_age + POLL_S + 0.25  # + a request's own time on a busy machine
        if len(seen) < 2 or max(seen.values()) > limit:
            raise SystemExit(f"FAIL: a citizen saw the old status longer than max-age ({limit:.1f} s)")
        if ratio < 1:
            raise SystemExit("FAIL: the proxy cache made requests.json slower")
    finally:
        if proxy is not None:
            stop_gunicorn(proxy)  # the same: SIGTERM to the process group, then SIGKILL
        if server is not None:
            stop_gunicorn(server)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
