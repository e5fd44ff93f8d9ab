"""`stadtdigital annual-report`: outputs, publishing, errors; the demo report's figures."""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from stadtdigital.portfolio.models import PublishedReport, Status

D = datetime.date


@pytest.fixture
def project(make_project):
    return make_project("Tablets für Grundschulen", status=Status.IMPLEMENTATION)


@pytest.mark.parametrize(
    ("fmt", "magic"), [("json", b"{"), ("csv", b"\xef\xbb\xbf"), ("html", b"<!DOCTYPE html>")]
)
def test_writes_each_format_to_a_file(project, tmp_path, fmt, magic):
    target = tmp_path / f"bericht.{fmt}"
    call_command("annual-report", "--as-of", "2021-06-30", "--format", fmt, "--output", str(target))
    assert target.read_bytes().startswith(magic)


def test_pdf_to_file(project, tmp_path):
    target = tmp_path / "bericht.pdf"
    call_command("annual-report", "--as-of", "2021-06-30", "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF-")


def test_json_to_stdout(project, capsysbinary):
    call_command("annual-report", "--as-of", "2021-06-30", "--format", "json", "--output", "-")
    data = json.loads(capsysbinary.readouterr().out)
    assert data["as_of"] == "2021-06-30"
    assert data["projects_by_status"]["implementation"] == 1


def test_publish_from_the_command(project, tmp_path):
    target = tmp_path / "a.json"
    call_command(
        "annual-report", "--as-of", "2021-06-30", "--publish", "--title", "Bericht A", "-o", str(target)
    )
    report = PublishedReport.objects.get(year=2021)
    assert report.title == "Bericht A"
    assert target.read_bytes() == bytes(report.report_json)
    with pytest.raises(CommandError, match="bereits ein Bericht veröffentlicht"):
        call_command("annual-report", "--as-of", "2021-07-31", "--publish")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2021-13-01"], "kein Datum"),
        (["--as-of", "30.06.2021"], "kein Datum"),
        (["--as-of", "2021-06-30", "--output", "/nonexistent-dir/x.pdf"], "gibt es nicht"),
        (["--as-of", "2021-06-30", "--year", "2020"], "nur zusammen mit --publish"),
    ],
)
def test_errors(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("annual-report", *args)


def test_unwritable_output_is_a_clear_error(project, tmp_path):
    with pytest.raises(CommandError, match="Verzeichnis"):
        call_command("annual-report", "--as-of", "2021-06-30", "--output", str(tmp_path))


def _cli(*args, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stadtdigital.settings",
        "DATA_DIR": str(tmp_path),
        "SECRET_KEY": "cli-test-key-" + "x" * 50,
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "stadtdigital", "annual-report", *args],
        capture_output=True,
        env=env,
        timeout=120,
    )


def test_cli_errors_have_no_traceback_and_fail(tmp_path):
    result = _cli("--as-of", "gestern", tmp_path=tmp_path)
    assert result.returncode != 0
    assert b"kein Datum" in result.stderr
    assert b"Traceback" not in result.stderr
    result = _cli("--as-of", "2021-06-30", "--output", "/nonexistent-dir/bericht.pdf", tmp_path=tmp_path)
    assert result.returncode != 0
    assert b"Traceback" not in result.stderr
    help_text = _cli("--help", tmp_path=tmp_path)
    assert help_text.returncode == 0
    assert b"--as-of" in help_text.stdout and b"Stichtag" in help_text.stdout


def test_demo_report_as_of_2021_06_30(db, capsysbinary):
    demo = pytest.importorskip("stadtdigital.portfolio.demo")
    demo.load_demo_portfolio(publish=False)
    call_command("annual-report", "--as-of", "2021-06-30", "--format", "json")
    data = json.loads(capsysbinary.readouterr().out)
    assert data["total_projects"] == 102
    assert data["projects_by_status"]["completed"] == 20
    assert data["projects_by_status"]["implementation"] == 35
    assert data["projects_by_status"]["preparation"] == 42
    cost = Decimal(data["implementation_cost_eur"])
    assert abs(cost - Decimal("13500000")) <= Decimal("135000")
    assert data["largest_field_of_action_by_cost"]["name"].startswith("Schul")
    assert data["is_synthetic"] is True
