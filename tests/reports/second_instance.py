"""A second stadtdigital instance in its own process and SQLite database: the neighbouring jurisdiction's
Open311 server for the sending, status-back and import tests.

Set up only through its command line (migrate, shell -c, open311 create-key, reports generate), served by
gunicorn on a free loopback port."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.reports.sending_servers import free_port

SETUP = """
from stadtdigital.core.models import Department
from stadtdigital.reports.models import Category, CategoryGroup
dept, _ = Department.objects.get_or_create(
    slug="strassenbau-lk", defaults={"name": "Straßenbauamt Landkreis"}
)
group, _ = CategoryGroup.objects.get_or_create(name="Straße")
for code, name in (("kreisstrasse", "Schaden an Kreisstraße"), ("schlagloch", "Schlagloch")):
    Category.objects.get_or_create(code=code, defaults={"name": name, "group": group, "department": dept})
"""


class SecondInstance:
    def __init__(self):
        self.data_dir = Path(tempfile.mkdtemp(prefix="stadtdigital-second-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/open311/v2"
        bin_dir = Path(sys.executable).parent
        self.command = str(bin_dir / "stadtdigital")
        self.gunicorn = str(bin_dir / "gunicorn")
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "PG", "EMAIL_", "TASKS_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="stadtdigital.settings",
            DATA_DIR=str(self.data_dir),
            SECRET_KEY="second-instance-key-" + "y" * 40,
            STADTDIGITAL_TESTING="true",  # plain static storage: no collectstatic needed for the API
            HTTPS_ONLY="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            SITE_URL=f"http://127.0.0.1:{self.port}",
            CITY_NAME="Landkreis",
        )
        self.process = None

    def run(self, *args, stdin: str | None = None) -> str:
        result = subprocess.run(
            [self.command, *args], env=self.env, input=stdin, capture_output=True, text=True, timeout=600
        )
        if result.returncode:
            raise RuntimeError(f"stadtdigital {' '.join(args)} failed: {result.stderr[-2000:]}")
        return result.stdout

    def shell(self, code: str) -> str:
        return self.run("shell", "-c", code)

    def start(self):
        self.run("migrate", "--noinput")
        self.shell(SETUP)
        self.api_key = self.run("open311", "create-key", "Nachbarstadt", "--relay").strip().splitlines()[-1]
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.gunicorn,
                "stadtdigital.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base_url}/services.json", timeout=2):  # noqa: S310
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.3)
        raise RuntimeError("second instance did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.data_dir, ignore_errors=True)
