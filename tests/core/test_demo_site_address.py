"""`stadtdigital demo --port N` writes links to itself: the confirmation link in the outbox mail, Open311
discovery and the DCAT catalogue all name http://127.0.0.1:N (the demo sets SITE_URL unless it is given).

One real demo process on a free port with its own DATA_DIR (loading the demo data takes about a minute)."""

import email
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

STARTUP_SECONDS = 1200  # migrate, collectstatic and 5,000 reports: minutes on a busy machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mail_texts(outbox: Path) -> list[str]:
    """Every text part of every mail the file backend wrote (decoded, whatever the transfer encoding)."""
    texts = []
    for path in sorted(outbox.glob("*.log")):
        for raw in path.read_bytes().split(b"-" * 79):
            message = email.message_from_bytes(raw.strip())
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    texts.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
    return texts


def csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def demo(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DJANGO_SETTINGS_MODULE", "SITE_URL", "DATABASE_URL", "EMAIL_BACKEND", "STADTDIGITAL_TESTING")
    }
    env.update(PYTHONUNBUFFERED="1", DATA_DIR=str(tmp_path / "data"), SECRET_KEY="demo-port-test-" + "k" * 40)
    log = (tmp_path / "demo.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "stadtdigital", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(
                    "demo ended early:\n" + (tmp_path / "demo.log").read_text(errors="replace")[-3000:]
                )
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    "demo did not start:\n" + (tmp_path / "demo.log").read_text(errors="replace")[-3000:]
                )
            time.sleep(1)
        yield base, tmp_path / "data"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_demo_on_another_port_links_to_itself(demo):
    base, data_dir = demo
    session = requests.Session()
    step2 = session.get(
        base + "/anliegen/neu/",
        params={"kategorie": "strassenbeleuchtung", "adresse": "Hauptstraße 12", "lat": "", "lon": ""},
        timeout=30,
    )
    assert step2.status_code == 200 and 'name="attr_defekt"' in step2.text
    description = "Laterne vor Hausnummer 12 bleibt nachts dunkel (Porttest)"
    sent = session.post(
        base + "/anliegen/neu/",
        data={
            "csrfmiddlewaretoken": csrf(step2.text),
            "kategorie": "strassenbeleuchtung",
            "adresse": "Hauptstraße 12",
            "lat": "",
            "lon": "",
            "attr_defekt": "leuchtet-nicht",
            "attr_mastnummer": "07-123",
            "description": description,
            "email": "porttest@example.org",
            "privacy_consent": "on",
        },
        headers={"Referer": base + "/anliegen/neu/"},
        timeout=30,
    )
    assert sent.url == base + "/anliegen/neu/danke/", sent.text[:2000]

    link = None
    for _ in range(60):  # the demo's worker thread sends the mail
        found = [
            m
            for text in mail_texts(data_dir / "outbox")
            for m in re.findall(r"\S+/anliegen/bestaetigen/\S+/", text)
        ]
        if found:
            link = found[-1]
            break
        time.sleep(1)
    assert link is not None, "no confirmation mail in DATA_DIR/outbox"
    assert link.startswith(base + "/anliegen/bestaetigen/"), link

    page = session.get(link, timeout=30)
    assert page.status_code == 200
    confirmed = session.post(
        link, data={"csrfmiddlewaretoken": csrf(page.text)}, headers={"Referer": link}, timeout=30
    )
    assert "jetzt öffentlich" in confirmed.text
    listing = session.get(base + "/anliegen/", params={"q": "Porttest", "status": "alle"}, timeout=30)
    assert description in listing.text

    assert f'"url":"{base}/open311/v2"' in session.get(base + "/open311/v2/discovery.json", timeout=30).text
    catalogue = session.get(base + "/opendata/catalog.ttl", timeout=60).text
    assert f"<{base}/opendata/" in catalogue and "127.0.0.1:8000" not in catalogue
