"""`stadtdigital worker` as a process: it waits for a database that is away instead of exiting, and then
takes up the task a killed worker left RUNNING (the photo gets processed, nothing stays pending)."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.reports.test_intake_helpers import jpeg_bytes

SETUP = """
import datetime, sys
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from stadtdigital.core.models import Department
from stadtdigital.reports.models import Category, CategoryGroup, Photo, Report
department = Department.objects.create(name="Tiefbauamt", slug="tiefbau")
category = Category.objects.create(code="loch", name="Loch", department=department,
                                   group=CategoryGroup.objects.create(name="G"))
now = timezone.now()
report = Report.objects.create(category=category, department=department, lat=49.14, lon=9.21,
                               created_at=now, updated_at=now, due_at=now)
raw = default_storage.save("reports/incoming/raw.jpg", ContentFile(open(sys.argv[1], "rb").read()))
photo = Photo.objects.create(report=report, upload=raw)
# What `kill -9` of a worker leaves behind: the task RUNNING under a worker id that never beats again.
started = timezone.now() - datetime.timedelta(minutes=5)
DBTaskResult.objects.create(task_path="stadtdigital.reports.tasks.photos.process_photo_task",
    args_kwargs={"args": [photo.pk], "kwargs": {}}, backend_name="default", run_after=started,
    status="RUNNING", started_at=started, worker_ids=["killed-worker"])
print(photo.pk)
"""


def wait_for(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.5)
    return condition()


def test_worker_waits_for_the_database_then_takes_up_the_killed_workers_task(tmp_path):
    data_dir = tmp_path / "data"
    environment = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "stadtdigital.settings",
        "SECRET_KEY": "worker-test-" + "x" * 50,
        "HTTPS_ONLY": "false",
        "TASK_HEARTBEAT_SECONDS": "1",
        "TASK_WORKER_TIMEOUT_SECONDS": "2",
        "TASK_DATABASE_RETRY_MAX_SECONDS": "2",
    }
    environment.pop("DATABASE_URL", None)
    python = [sys.executable, "-m", "stadtdigital"]
    subprocess.run([*python, "migrate", "-v", "0"], env=environment, check=True)
    image = tmp_path / "photo.jpg"
    image.write_bytes(jpeg_bytes((300, 200)))
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, str(image)], env=environment, capture_output=True, text=True
    )
    assert setup.returncode == 0, setup.stderr
    photo_id = int(setup.stdout.strip().splitlines()[-1])

    database = data_dir / "stadtdigital.sqlite3"
    parked = data_dir / "parked.sqlite3"
    database.rename(parked)
    database.mkdir()  # the database file is away: "unable to open database file"
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 - read while the worker writes
    worker = subprocess.Popen(
        [*python, "worker", "--no-daily-jobs"], env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        log_text = lambda: Path(log.name).read_text()  # noqa: E731
        assert wait_for(lambda: "Datenbank nicht erreichbar" in log_text(), 120), log_text()
        time.sleep(3)
        assert worker.poll() is None, "the worker exited instead of waiting"

        database.rmdir()
        parked.rename(database)

        def photo_state():
            with sqlite3.connect(database) as connection:
                row = connection.execute(
                    "SELECT status, upload FROM reports_photo WHERE id = ?", (photo_id,)
                ).fetchone()
                tasks = connection.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()
            return row if row[0] != "pending" else None, tasks

        state = wait_for(lambda: photo_state()[0], 120)
        assert state == ("ready", ""), (photo_state(), log_text())
        assert not (data_dir / "media" / "reports" / "incoming" / "raw.jpg").exists()
        assert {status for (status,) in photo_state()[1]} == {"SUCCESSFUL"}
        assert worker.poll() is None
    finally:
        worker.kill()
        worker.wait()
        log.close()
