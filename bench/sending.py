"""Benchmark: sending many queued reports to an Open311 target through the background worker.

    python bench/sending.py                     # 10,000 reports, throwaway SQLite database, local target
    python bench/sending.py --smoke             # 200 reports (CI)
    python bench/sending.py --database-url postgres://...

Stores N reports of one category that is sent by Open311, queues one sending each (a Dispatch row and a
django-tasks database task, as `queue_send` does after a commit), then runs the real worker
(`db_worker --batch`, in this process) until the queue is empty. The target is a minimal local Open311
endpoint in a thread (a ThreadingHTTPServer answering POST requests.json with a new service_request_id),
so the numbers are our side's cost: form encoding, HTTP, storing the result and the history entry.
Prints throughput (reports per second) and the process's resident memory after each tenth of the run:
memory must stay flat (no growth with the number of reports sent).
"""

import argparse
import http.server
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annual_report import machine  # noqa: E402
from nearby import setup_django  # noqa: E402


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


class Target:
    """A minimal Open311 POST endpoint: counts requests and answers with a new id."""

    def __init__(self):
        counter = itertools.count(1)
        self.received = 0
        target = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                target.received += 1
                body = json.dumps([{"service_request_id": next(counter)}]).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/open311/v2"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def fill(count: int, url: str) -> list[int]:
    import datetime

    from django.utils import timezone

    from stadtdigital.core.models import Department
    from stadtdigital.reports.models import (
        Category,
        CategoryGroup,
        CategorySending,
        Dispatch,
        Report,
        SendMethod,
        SendTarget,
    )
    from stadtdigital.reports.sending import credentials

    department, _ = Department.objects.get_or_create(name="Bench-Amt", slug="bench-amt")
    group, _ = CategoryGroup.objects.get_or_create(name="Bench")
    category, _ = Category.objects.get_or_create(
        code="bench-send", defaults={"name": "Bench", "group": group, "department": department}
    )
    target = SendTarget.objects.create(name="Bench-Ziel", method=SendMethod.OPEN311, endpoint=url)
    credentials.set_secret(target, "bench-key")
    target.save()
    CategorySending.objects.create(category=category, target=target)
    now = timezone.now()
    reports = Report.objects.bulk_create(
        (
            Report(
                category=category,
                department=department,
                description=f"Bench-Meldung {index}",
                lat=49.14 + (index % 100) / 10000,
                lon=9.21,
                address=f"Hauptstraße {index % 200}",
                created_at=now - datetime.timedelta(minutes=index),
                updated_at=now,
            )
            for index in range(count)
        ),
        batch_size=1000,
    )
    dispatches = Dispatch.objects.bulk_create(
        (Dispatch(report=report, target=target, reason="new") for report in reports), batch_size=1000
    )
    return [dispatch.pk for dispatch in dispatches]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true", help="200 reports (CI)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.smoke:
        args.count = 200
    with tempfile.TemporaryDirectory(prefix="stadtdigital-bench-") as data_dir:
        os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        setup_django(data_dir, args.database_url)
        import logging

        from django.core.management import call_command
        from django.db import connection

        from stadtdigital.reports.models import Dispatch, DispatchState
        from stadtdigital.reports.sending.tasks import send_dispatch_task

        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        target = Target()
        ids = fill(args.count, target.url)
        for dispatch_id in ids:  # what queue_send's on_commit does for each
            send_dispatch_task.enqueue(dispatch_id)
        print(
            f"sending: {args.count:,} queued reports on {connection.vendor}; {machine()}; "
            f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}"
        )
        samples: list[tuple[int, float, float]] = []
        done = threading.Event()

        def sample():
            step = max(1, args.count // 10)
            next_mark = step
            while not done.is_set():
                if target.received >= next_mark:
                    samples.append((target.received, time.perf_counter() - started, rss_mib()))
                    next_mark += step
                time.sleep(0.05)

        started = time.perf_counter()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        sent = Dispatch.objects.filter(state=DispatchState.SENT).count()
        print(f"  sent {sent:,} of {args.count:,} in {elapsed:.1f} s: {sent / elapsed:.0f} reports/s")
        for received, at, rss in samples:
            print(f"  after {received:>6,} ({at:6.1f} s): RSS {rss:6.1f} MiB")
        if len(samples) >= 3:
            growth = samples[-1][2] - samples[1][2]
            print(f"  memory from 20 % to the end: {growth:+.1f} MiB")
        if sent != args.count:
            print("  not every report was sent")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
