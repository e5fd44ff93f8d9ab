"""`stadtdigital opendata export|list|refresh-sizes`: whole files or none, progress, clear errors."""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stadtdigital.opendata import writers
from stadtdigital.opendata.models import DownloadSize
from stadtdigital.opendata.registry import FORMATS, Dataset, Distribution, Period, get_dataset, version_tag
from stadtdigital.opendata.selectors import known_byte_size
from tests.portfolio.conftest import field_of_action, make_project  # noqa: F401

COMMAND_MODULE = "stadtdigital.opendata.management.commands.opendata"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def projects(make_project):  # noqa: F811
    make_project("Tablets für Grundschulen", slug="tablets")
    make_project("Glasfaser für alle", slug="glasfaser")


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run(*args, stderr=None) -> tuple[str, str]:
    out, err = io.StringIO(), stderr or io.StringIO()
    call_command("opendata", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def whole(name: str, fmt: str) -> bytes:
    return b"".join(get_dataset(name).distribution(fmt).stream(Period(), None))


def test_export_writes_the_download_and_reports_path_and_size(projects, tmp_path):
    target = tmp_path / "projekte.csv"
    out, err = run("export", "--dataset", "projekte", "--format", "csv", "--output", str(target))
    content = target.read_bytes()
    assert content == whole("projekte", "csv")
    assert f"{target} ({len(content)} Bytes, 2 Einträge)" in out
    assert "projekte.csv: [" in err and "(100%" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["projekte.csv"]  # no temporary file left


def test_exported_file_is_readable_by_others_like_any_new_file(projects, tmp_path):
    target = tmp_path / "projekte.json"
    previous = os.umask(0o022)
    try:
        run("export", "--dataset", "projekte", "--format", "json", "--output", str(target))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_whole_export_records_its_size_for_the_current_version(projects, tmp_path):
    target = tmp_path / "projekte.xlsx"
    run("export", "--dataset", "projekte", "--format", "xlsx", "--output", str(target))
    dataset = get_dataset("projekte")
    distribution = dataset.distribution("xlsx")
    recorded = DownloadSize.objects.get(dataset="projekte", format="xlsx")
    assert recorded.version == version_tag(dataset, distribution, Period())
    assert recorded.row_count == 2
    assert known_byte_size(dataset, distribution) == target.stat().st_size


def test_export_replaces_an_existing_file(projects, tmp_path):
    target = tmp_path / "projekte.csv"
    target.write_text("alt")
    run("export", "--dataset", "projekte", "--format", "csv", "--output", str(target))
    assert target.read_bytes() == whole("projekte", "csv")


# --- Errors: a message naming the problem, exit code 1, nothing written -------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "gibtsnicht", "--format", "csv"], "Unbekannter Datensatz „gibtsnicht“. Verfügbar: "),
        (["--dataset", "projekte", "--format", "pdf"], "gibt es nicht als „pdf“. Formate: csv, json, xlsx"),
        (
            ["--dataset", "projekte", "--format", "csv", "--start-date", "2024-13-01"],
            "--start-date: „2024-13-01“ ist kein Datum im Format JJJJ-MM-TT",
        ),
        (
            [
                "--dataset",
                "projekte",
                "--format",
                "csv",
                "--start-date",
                "2024-02-01",
                "--end-date",
                "2024-01-01",
            ],
            "--start-date (2024-02-01) liegt nach --end-date (2024-01-01)",
        ),
        (
            ["--dataset", "projekte", "--format", "csv", "--start-date", "2024-01-01"],
            "gibt es nur vollständig; --start-date und --end-date weglassen",
        ),
    ],
)
def test_bad_arguments_stop_before_anything_is_written(projects, tmp_path, args, message):
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError) as excinfo:
        run("export", *args, "--output", str(target))
    assert message in str(excinfo.value)
    assert excinfo.value.returncode == 1
    assert list(tmp_path.iterdir()) == []


def test_unknown_dataset_lists_the_available_ones(projects, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run("export", "--dataset", "x", "--format", "csv", "--output", str(tmp_path / "x.csv"))
    assert "projekte" in str(excinfo.value).split("Verfügbar: ")[1]


def test_unwritable_target_is_reported(projects, tmp_path):
    with pytest.raises(CommandError, match="kann nicht geschrieben werden"):
        run(
            "export",
            "--dataset",
            "projekte",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "fehlt" / "p.csv"),
        )
    with pytest.raises(CommandError, match="ist ein Verzeichnis"):
        run("export", "--dataset", "projekte", "--format", "csv", "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_failure_while_streaming_keeps_the_old_file_and_leaves_no_temporary_file(
    projects, tmp_path, monkeypatch
):
    target = tmp_path / "projekte.csv"
    target.write_text("die alte, vollständige Datei")

    def failing(period, progress):
        yield b"slug,title\r\n"
        raise OSError(28, "No space left on device")

    broken = get_dataset("projekte")
    broken = Dataset(**{**broken.__dict__, "distributions": (Distribution(FORMATS["csv"], failing),)})
    monkeypatch.setattr(f"{COMMAND_MODULE}.get_dataset", lambda name: broken)
    with pytest.raises(CommandError, match="No space left on device"):
        run("export", "--dataset", "projekte", "--format", "csv", "--output", str(target))
    assert target.read_text() == "die alte, vollständige Datei"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["projekte.csv"]
    assert not DownloadSize.objects.exists()


def test_errors_exit_with_status_1_on_the_command_line(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(REPO)}
    args = ["export", "--dataset", "projekte", "--format", "csv", "--output", str(tmp_path / "p.csv")]
    result = subprocess.run(
        [sys.executable, "-m", "stadtdigital", "opendata", *args, "--end-date", "31.12.2024"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1
    assert "--end-date: „31.12.2024“ ist kein Datum im Format JJJJ-MM-TT" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- Progress --------------------------------------------------------------------------------------------


def _big_dataset(rows: int, seen_periods: list) -> Dataset:
    def stream(period, progress):
        seen_periods.append(period)
        return writers.csv_chunks(["id"], ([n] for n in range(rows)), progress)

    return Dataset(
        name="gross",
        title="Viele Zeilen",
        description="",
        keywords=(),
        themes=("GOVE",),
        frequency="DAILY",
        distributions=(Distribution(FORMATS["csv"], stream),),
        modified=lambda: None,
        temporal=lambda: None,
        row_count=lambda period: rows,
        supports_period=True,
    )


@pytest.fixture
def big(db, monkeypatch):
    periods = []
    dataset = _big_dataset(20_000, periods)
    monkeypatch.setattr(f"{COMMAND_MODULE}.get_dataset", lambda name: dataset)
    return periods


def test_progress_in_a_log_is_a_line_per_tenth(big, tmp_path):
    _, err = run("export", "--dataset", "gross", "--format", "csv", "--output", str(tmp_path / "g.csv"))
    lines = err.splitlines()
    assert 5 <= len(lines) <= 11  # ten chunks of 2,000 rows: never a line per chunk beyond the tenths
    assert "\r" not in err
    assert lines[-1].startswith("gross.csv: [##############################] 20000/20000 Einträge (100%")


def test_progress_on_a_terminal_is_redrawn_in_place(big, tmp_path):
    err = Terminal()
    run("export", "--dataset", "gross", "--format", "csv", "--output", str(tmp_path / "g.csv"), stderr=err)
    text = err.getvalue()
    assert text.startswith("\rgross.csv: [")
    assert text.count("\n") == 1 and text.endswith("(100%, 0 s)\n")


def test_period_export_passes_the_period_and_records_no_size(big, tmp_path):
    target = tmp_path / "g.csv"
    out, _ = run(
        "export", "--dataset", "gross", "--format", "csv", "--output", str(target),
        "--start-date", "2024-01-01", "--end-date", "2024-12-31",
    )  # fmt: skip
    assert [str(p.start) + "/" + str(p.end) for p in big] == ["2024-01-01/2024-12-31"]
    assert target.read_bytes().startswith(b"id\r\n0\r\n1\r\n")
    assert (
        not DownloadSize.objects.exists()
    )  # a part of the data says nothing about the whole download's size


def test_stored_file_progress_counts_bytes(db, tmp_path):
    from stadtdigital.portfolio.models import PublishedReport

    PublishedReport.objects.create(
        year=2021, as_of="2021-06-30", title="Digitalisierungsbericht 2021", figures={"total_projects": 3},
        report_json=b"{}", report_html=b"", report_pdf=b"%PDF" + b"x" * 600_000, annex_csv=b"a;b\r\n",
    )  # fmt: skip
    target = tmp_path / "bericht.pdf"
    out, err = run(
        "export", "--dataset", "digitalisierungsbericht-2021", "--format", "pdf", "--output", str(target)
    )
    assert target.read_bytes() == b"%PDF" + b"x" * 600_000
    assert "600004/600004 Bytes (100%" in err
    assert f"{target} (600004 Bytes)" in out


# --- list, refresh-sizes, --help ----------------------------------------------------------------------------


def test_list_shows_datasets_formats_and_rows(projects):
    out, _ = run("list")
    lines = out.splitlines()
    assert lines[0] == "NAME\tFORMATE\tEINTRÄGE\tZEITRAUMFILTER\tTITEL"
    assert "projekte\tcsv,json,xlsx\t2\tnein\tDigitalprojekte der Stadt Musterstadt" in lines


def test_refresh_sizes_measures_what_is_missing_once(projects, monkeypatch):
    from stadtdigital.portfolio.opendata import projects as portfolio

    monkeypatch.setattr("stadtdigital.opendata.services.all_datasets", portfolio.datasets)
    out, err = run("refresh-sizes")
    assert "projekte.csv: " in out and "projekte.json: " in out and "projekte.xlsx: " in out
    assert "3 Größen gemessen." in out
    assert "projekte.csv: [" in err  # progress while measuring
    dataset = get_dataset("projekte")
    assert known_byte_size(dataset, dataset.distribution("csv")) == len(whole("projekte", "csv"))
    out, _ = run("refresh-sizes")
    assert out.strip() == "Alle Größen sind aktuell."


@pytest.mark.parametrize("subcommand", ["list", "export", "refresh-sizes"])
def test_every_subcommand_has_german_help(subcommand, capsys):
    with pytest.raises(SystemExit) as excinfo:
        call_command("opendata", subcommand, "--help")
    assert excinfo.value.code == 0
    text = capsys.readouterr().out
    assert {"list": "Datensätze", "export": "Zieldatei", "refresh-sizes": "Größe"}[subcommand] in text
