"""Start the test OpenID Connect provider in its own process on a free loopback port."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "stadtdigital-test"
CLIENT_SECRET = "client-secret-for-tests-" + "z" * 20  # noqa: S105


@dataclass
class Provider:
    url: str
    env: dict

    def endpoint(self, path: str) -> str:
        return f"{self.url}/o/{path}"

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "tests.oidc_provider.manage_provider", *args],
            env=self.env,
            cwd=REPO,
            check=True,
            capture_output=True,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(workdir: Path):
    """Yields a running Provider; the process ends when the generator is closed."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = workdir / "rsa.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY_FILE": str(key_file),
        "OAUTHLIB_INSECURE_TRANSPORT": "1",  # plain http on loopback, tests only
        "PYTHONPATH": str(REPO),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = open(workdir / "provider.log", "wb")  # noqa: SIM115 - open while the process runs
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = Provider(url=f"http://127.0.0.1:{port}", env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(provider.endpoint(".well-known/openid-configuration"), timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("OIDC provider did not start:\n" + (workdir / "provider.log").read_text())
            time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def temporary_workdir():
    return tempfile.TemporaryDirectory(prefix="oidc-provider-")
