"""Database away: every page answers 503 with Retry-After in the site's layout, Open311 in its own format.

A real app server (gunicorn) in a separate process, pointed at a PostgreSQL that is not running (a loopback
port nobody listens on) or at an SQLite path that cannot be opened.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

PAGES = ["/", "/anliegen/", "/anliegen/neu/", "/projekte/", "/opendata/", "/verwaltung/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(base: str, path: str, data: bytes | None = None):
    request = urllib.request.Request(base + path, data=data)  # noqa: S310 - our own loopback server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(params=["postgresql-stopped", "sqlite-unavailable"])
def server_without_database(request, tmp_path):
    environment = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "stadtdigital.settings",
        "SECRET_KEY": "db-gone-test-" + "x" * 50,
        "HTTPS_ONLY": "false",
    }
    if request.param == "postgresql-stopped":
        environment["DATABASE_URL"] = f"postgres://nobody:secret@127.0.0.1:{free_port()}/stadtdigital"
    else:
        environment.pop("DATABASE_URL", None)
        (tmp_path / "data" / "stadtdigital.sqlite3").mkdir(parents=True)  # cannot be opened as a file
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "stadtdigital.wsgi"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                fetch(base, "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pages_and_open311_answer_503_with_retry_after(server_without_database):
    base = server_without_database
    assert fetch(base, "/healthz")[0] == 503
    for page in PAGES:
        status, headers, body = fetch(base, page)
        assert status == 503, (page, status, body[:300])
        assert headers["Retry-After"] == "30"
        html = body.decode()
        assert "Die Datenbank ist im Moment nicht erreichbar" in html
        assert 'class="site-header"' in html and "Zum Inhalt springen" in html  # the site's layout

    status, headers, body = fetch(base, "/open311/v2/services.json")
    assert status == 503 and headers["Retry-After"] == "30"
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)[0]["code"] == 503

    status, headers, body = fetch(base, "/open311/v2/requests.xml")
    assert status == 503 and headers["Content-Type"].startswith("text/xml")
    assert ET.fromstring(body).find("error/code").text == "503"  # noqa: S314 - our own server

    form = urllib.parse.urlencode({"api_key": "x", "service_code": "a", "lat": "49.1", "long": "9.2"})
    status, headers, body = fetch(base, "/open311/v2/requests.json", form.encode())
    assert status == 503 and json.loads(body)[0]["code"] == 503
