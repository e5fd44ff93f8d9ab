"""`stadtdigital portfolio import|export`: results on stdout, problems on stderr, non-zero exit on errors."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stadtdigital.portfolio.models import Project

CSV = (
    "Kennung;Titel;Handlungsfeld;Status;Fachbereich;Budget geplant (EUR)\n"
    "tablets;Tablets;Schulen und Bildung;in Umsetzung;AfD;1.000,00\n"
)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("portfolio", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_projects_and_prints_a_summary(tmp_path, department, field_of_action):
    path = tmp_path / "portfolio.csv"
    path.write_text(CSV, encoding="utf-8")
    out, _err = run("import", str(path))
    assert "1 neu, 0 geändert, 0 unverändert" in out
    assert Project.objects.get().slug == "tablets"


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path, department, field_of_action):
    path = tmp_path / "portfolio.csv"
    path.write_text(CSV, encoding="utf-8")
    out, _err = run("import", str(path), "--dry-run")
    assert "Zeile 2: neu: tablets (Tablets)" in out
    assert "Probelauf, nichts gespeichert" in out
    assert not Project.objects.exists()


def test_bad_file_lists_every_problem_and_fails(tmp_path, department, field_of_action):
    path = tmp_path / "portfolio.csv"
    path.write_text(CSV.replace("1.000,00", "13,5 Mio"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 Fehler in 'portfolio.csv', nichts wurde geändert"):
        call_command("portfolio", "import", str(path), stderr=err)
    assert "Zeile 2, Spalte 'Budget geplant (EUR)': '13,5 Mio' ist kein Betrag" in err.getvalue()
    assert not Project.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        run("import", str(tmp_path / "fehlt.csv"))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_writes_a_file_that_imports_back(tmp_path, make_project, suffix):
    make_project("Tablets", slug="tablets")
    path = tmp_path / f"portfolio.{suffix}"
    out, _err = run("export", "--output", str(path))
    assert "1 Projekte" in out
    out, _err = run("import", str(path))
    assert "0 neu, 0 geändert, 1 unverändert" in out


def test_export_needs_a_known_format(tmp_path, db):
    with pytest.raises(CommandError, match="--format csv|xlsx"):
        run("export", "--output", str(tmp_path / "portfolio.ods"))


def test_console_command_exits_non_zero_with_message_and_no_traceback(tmp_path):
    bad = tmp_path / "portfolio.ods"
    bad.write_bytes(b"irrelevant")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(Path.cwd())}
    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "stadtdigital", "portfolio", "import", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "'.ods' wird nicht unterstützt" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_each_subcommand_has_help(capsys):
    for args in (["--help"], ["import", "--help"], ["export", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            call_command("portfolio", *args)
        assert exit_info.value.code == 0
    assert "--dry-run" in capsys.readouterr().out
