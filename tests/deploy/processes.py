"""The production shape as processes: gunicorn app servers and `stadtdigital worker`s, each with its own local
directory (DATA_DIR, MEDIA_ROOT, STATIC_ROOT), sharing the database, the bucket and the SECRET_KEY."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.reports.sending_servers import free_port
from tests.s3_server import CREDENTIALS

REPO = Path(__file__).resolve().parents[2]
SECRET_KEY = "several-servers-shared-key-" + "s" * 40


def shared_environment(database_url: str, media_storage_url: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DATABASE_", "PG", "EMAIL_", "TASKS_", "MEDIA_", "AWS_", "STADTDIGITAL")
        )
    }
    env.update(
        CREDENTIALS,
        DJANGO_SETTINGS_MODULE="stadtdigital.settings",
        DATABASE_URL=database_url,
        MEDIA_STORAGE_URL=media_storage_url,
        SECRET_KEY=SECRET_KEY,
        STADTDIGITAL_TESTING="true",  # plain static files storage: no collectstatic per server
        HTTPS_ONLY="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(REPO),  # the workers import tests.deploy.tasks
        **extra,
    )
    return env


def own_directory(env: dict[str, str], name: str) -> dict[str, str]:
    """A copy of env with this process's own local directories."""
    data = Path(tempfile.mkdtemp(prefix=f"stadtdigital-{name}-"))
    return {
        **env,
        "DATA_DIR": str(data),
        "MEDIA_ROOT": str(data / "media"),
        "STATIC_ROOT": str(data / "static"),
    }


def stadtdigital(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "stadtdigital", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"stadtdigital {' '.join(args)} failed: {result.stderr[-3000:]}")
    return result.stdout


class Process:
    """A started process with its log file (self.process, self.log)."""

    def log_text(self) -> str:
        return Path(self.log.name).read_text()

    def terminate(self):
        if self.process.poll() is None:
            self.process.terminate()

    def stop(self):
        _stop(self.process)
        self.log.close()


class AppServer(Process):
    def __init__(self, env: dict[str, str], name: str):
        self.port = free_port()
        self.env = {**own_directory(env, name), "SITE_URL": f"http://127.0.0.1:{self.port}"}
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(self.env["DATA_DIR"]) / "gunicorn.log", "w+")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "stadtdigital.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=self.env,
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=15).status_code == 200:
                    return self
            except requests.RequestException:  # not listening yet, or busy starting
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError(f"app server on {self.port} did not start: {self.log_text()[-3000:]}")


class Worker(Process):
    def __init__(self, env: dict[str, str], name: str):
        self.env = own_directory(env, name)
        self.log = open(Path(self.env["DATA_DIR"]) / "worker.log", "w+")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "stadtdigital", "worker", "--interval", "0.2", "--daily-interval", "1"],
            env=self.env,
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _stop(process: subprocess.Popen):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, seconds: float, interval: float = 0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    return condition()
