"""Fault script: concurrent reports while the app server and the worker are killed with SIGKILL.

    python bench/chaos.py                                  # 50 posters, 60 s, SQLite (throwaway DATA_DIR)
    python bench/chaos.py --database-url postgres://...    # the same on PostgreSQL (an empty database)
    python bench/chaos.py --smoke                          # 5 posters, 12 s (CI)

Starts gunicorn and `stadtdigital worker` on loopback only, then N posters file reports for --seconds:
half through Open311 (multipart with a photo and an Idempotency-Key; a failed post is retried once with the
same key) and half through the web form (GET the form, POST it with a photo). Half-way through it kills
gunicorn (the whole process group) and the worker with SIGKILL, restarts both a moment later, and goes on.
Afterwards it waits (at most --settle seconds, default 120) until no photo is pending and no task is queued
or running, then prints

    sent / acknowledged / stored / lost / photos stuck / tasks left

"acknowledged" is an answer the client saw as success (Open311 200 with an id, the form's redirect to the
thanks page); "stored" counts acknowledged reports found complete (text and a READY photo); "lost" is
acknowledged minus stored. Exit status 1 when anything is lost or stuck.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from annual_report import machine  # noqa: E402

LAT, LON = "49.142", "9.21"
CATEGORY = "chaos"
WORKER_ENV = {"TASK_HEARTBEAT_SECONDS": "2", "TASK_WORKER_TIMEOUT_SECONDS": "10"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tiny_jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 160, 90)).save(out, "JPEG", quality=80)
    return out.getvalue()


class Stack:
    """gunicorn and the worker as process groups, so SIGKILL takes every process of each."""

    def __init__(self, environment: dict, port: int, log_dir: Path):
        self.environment, self.port, self.log_dir = environment, port, log_dir
        self.server = self.worker = None

    def start(self) -> None:
        python = sys.executable
        server_log = open(self.log_dir / "gunicorn.log", "a")  # noqa: SIM115 - lives as long as the process
        worker_log = open(self.log_dir / "worker.log", "a")  # noqa: SIM115
        self.server = subprocess.Popen(
            [python, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "8"]
            + ["--timeout", "60", "stadtdigital.wsgi"],
            env=self.environment,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.worker = subprocess.Popen(
            [python, "-m", "stadtdigital", "worker", "--no-daily-jobs", "--interval", "0.5"],
            env={**self.environment, **WORKER_ENV},
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start; see gunicorn.log")

    def kill(self) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


class Tally(Counter):
    """Counts shared by the poster threads."""

    lock = threading.Lock()

    def add(self, name: str) -> None:
        with self.lock:
            self[name] += 1


class Poster(threading.Thread):
    def __init__(self, number: int, base: str, api_key: str, photo: bytes, stop: threading.Event, tally):
        super().__init__(daemon=True)
        self.number, self.base, self.api_key, self.photo = number, base, api_key, photo
        self.stop_event, self.tally = stop, tally
        self.acknowledged: list[str] = []

    def run(self) -> None:
        post = self.post_open311 if self.number % 2 == 0 else self.post_form
        while not self.stop_event.is_set():
            marker = f"chaos-{uuid.uuid4().hex}"
            self.tally.add("sent")
            try:
                if post(marker):
                    self.acknowledged.append(marker)
                    self.tally.add("acknowledged")
                    continue
            except requests.RequestException:
                self.tally.add("connection errors")
            time.sleep(0.5)

    def post_open311(self, marker: str) -> bool:
        key = str(uuid.uuid4())
        for attempt in range(2):
            try:
                response = requests.post(
                    f"{self.base}/open311/v2/requests.json",
                    data={"api_key": self.api_key, "service_code": CATEGORY, "lat": LAT, "long": LON}
                    | {"description": marker},
                    files={"media": ("photo.jpg", self.photo, "image/jpeg")},
                    headers={"Idempotency-Key": key},
                    timeout=30,
                )
            except requests.RequestException:
                if attempt:
                    raise
                time.sleep(1)
                continue
            self.tally.add(f"open311 {response.status_code}")
            if response.status_code == 200 and response.json()[0].get("service_request_id"):
                return True
            if response.status_code not in (409, 503) or attempt:
                return False
            time.sleep(1)
        return False

    def post_form(self, marker: str) -> bool:
        session = requests.Session()
        form = session.get(
            f"{self.base}/anliegen/neu/", params={"kategorie": CATEGORY, "lat": LAT, "lon": LON}, timeout=30
        )
        if form.status_code != 200:
            self.tally.add(f"form GET {form.status_code}")
            return False
        fields = {
            name: re.search(rf'name="{name}" value="([^"]+)"', form.text)[1]
            for name in ("csrfmiddlewaretoken", "form_token")
        }
        response = session.post(
            f"{self.base}/anliegen/neu/",
            data={**fields, "kategorie": CATEGORY, "lat": LAT, "lon": LON, "adresse": ""}
            | {"description": marker},
            files={"photos": ("photo.jpg", self.photo, "image/jpeg")},
            headers={"Referer": f"{self.base}/anliegen/neu/"},
            allow_redirects=False,
            timeout=30,
        )
        self.tally.add(f"form {response.status_code}")
        return response.status_code == 302 and "/danke" in response.headers.get("Location", "")


def setup_database(data_dir: str, database_url: str | None) -> tuple[dict, str]:
    environment = {
        **os.environ,
        "DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "stadtdigital.settings",
        "SECRET_KEY": "chaos-only-secret-key-" + "x" * 40,
        "HTTPS_ONLY": "false",
        "LOG_LEVEL": "WARNING",
        "REPORT_RATE_LIMIT_PER_HOUR": "1000000",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    if database_url:
        environment["DATABASE_URL"] = database_url
    else:
        environment.pop("DATABASE_URL", None)
    os.environ.update(environment)
    sys.path.insert(0, str(HERE.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from stadtdigital.core.models import Department
    from stadtdigital.open311 import services
    from stadtdigital.open311.models import ApiClient
    from stadtdigital.reports.models import Category, CategoryGroup

    department, _ = Department.objects.get_or_create(name="Chaos-Amt", slug="chaos-amt")
    group, _ = CategoryGroup.objects.get_or_create(name="Chaos")
    Category.objects.get_or_create(
        code=CATEGORY, defaults={"name": "Chaos", "group": group, "department": department, "target_days": 5}
    )
    client, key = services.create_key("Chaos")
    ApiClient.objects.filter(pk=client.pk).update(relays_for_many=True, rate_limit_per_hour=10_000_000)
    return environment, key


def leftovers() -> tuple[int, int]:
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    from stadtdigital.reports.models import Photo, PhotoStatus

    close_old_connections()
    pending = Photo.objects.filter(status=PhotoStatus.PENDING).count()
    tasks = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    return pending, tasks


def complete_reports(markers: list[str]) -> set[str]:
    from stadtdigital.reports.models import PhotoStatus, Report

    complete = set()
    reports = Report.objects.filter(description__startswith="chaos-").prefetch_related("photos")
    for report in reports:
        photos = list(report.photos.all())
        if len(photos) == 1 and photos[0].status == PhotoStatus.READY:
            complete.add(report.description)
    return complete & set(markers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="5 posters, 12 s (CI)")
    parser.add_argument("--posters", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="posting time (the kill is half-way)")
    parser.add_argument("--settle", type=float, default=120.0, help="seconds allowed for recovery")
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default SQLite)")
    args = parser.parse_args()
    if args.smoke:
        args.posters, args.seconds = 5, 12.0

    print(machine())
    with tempfile.TemporaryDirectory(prefix="stadtdigital-chaos-") as directory:
        data_dir = str(Path(directory) / "data")
        environment, api_key = setup_database(data_dir, args.database_url)
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{database}, {args.posters} posters, {args.seconds:.0f} s, SIGKILL of both half-way")
        port = free_port()
        stack = Stack(environment, port, Path(directory))
        stack.start()
        base = f"http://127.0.0.1:{port}"
        photo = tiny_jpeg()
        stop = threading.Event()
        tally = Tally()
        posters = [Poster(number, base, api_key, photo, stop, tally) for number in range(args.posters)]
        try:
            for poster in posters:
                poster.start()
            time.sleep(args.seconds / 2)
            stack.kill()
            killed_at = time.monotonic()
            print(
                f"killed gunicorn and worker (SIGKILL) after {args.seconds / 2:.0f} s; acknowledged so far "
                f"{tally['acknowledged']}"
            )
            time.sleep(2)
            stack.start()
            print(f"restarted in {time.monotonic() - killed_at:.1f} s")
            time.sleep(args.seconds / 2)
            stop.set()
            for poster in posters:
                poster.join(timeout=60)
            started = time.monotonic()
            pending, tasks = leftovers()
            while (pending or tasks) and time.monotonic() - started < args.settle:
                time.sleep(2)
                pending, tasks = leftovers()
            settled = time.monotonic() - started
        finally:
            stack.stop()
        acknowledged = [marker for poster in posters for marker in poster.acknowledged]
        stored = complete_reports(acknowledged)
        lost = len(acknowledged) - len(stored)
        print("answers: " + ", ".join(f"{name} {count}" for name, count in sorted(tally.items())))
        print(
            f"sent {tally['sent']} / acknowledged {len(acknowledged)} / stored {len(stored)} / lost {lost} / "
            f"photos stuck {pending} / tasks left {tasks} (settled after {settled:.0f} s)"
        )
        server_errors = [name for name in tally if re.search(r" 5\d\d$", name) and not name.endswith("503")]
        if server_errors:
            log = (Path(directory) / "gunicorn.log").read_text(errors="replace").splitlines()
            print("server errors; the end of gunicorn.log:", *log[-40:], sep="\n")
        failed = bool(lost or pending or tasks or server_errors)
        if failed:
            print("FAILED: something acknowledged was lost or is stuck")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
