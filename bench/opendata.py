"""Benchmark: exporting the open data of 1,000,000 citizens' reports as CSV and GeoJSON (speed and memory).

    python bench/opendata.py                          # 1,000,000 reports, throwaway SQLite database
    python bench/opendata.py --smoke                  # 5,000 reports, one run (CI, < 60 s)
    python bench/opendata.py --data-dir /tmp/odbench/data    # reuse a filled DATA_DIR (topped up to --count)
    python bench/opendata.py --database-url postgres://...   # PostgreSQL (an empty throwaway database)

Fills the database with `stadtdigital migrate` and `stadtdigital reports generate --count N` (subprocesses),
then gives about half of the closed reports a public state text and every fifth report a public answer
(one INSERT ... SELECT each), so the export does its per-batch look-up of answers on realistic data.

Every measurement runs in a child process of its own, which streams one distribution (`stream()`, the
code behind the download view and the export command) into a file; the child's peak memory is its RSS
high-water mark (`wait4`). Cases: the whole CSV and GeoJSON, and the same exports stopped after 10 % of the
rows (memory must not grow with the rows), the baseline of a child that only starts Django, the monthly
statistics (CSV), a one-month period, and `stadtdigital opendata export` (the command as cron runs it).
Before the cases, the daily job `statistics_cache.refresh` stores the monthly statistics of the ended months
(timed: what a first run after migrating costs), as it does every night in production; the statistics
download then computes only the current month (and any month a change touched) live.
The daily job also renders the reports' CSV and GeoJSON block by block and stores them (decision 0029, timed
too); the whole downloads then copy the stored blocks, as after every night in production, and the cases
`live: ...` measure the same downloads with the store turned off (every row formatted again).
Reports the median of `--runs` runs (default 3). Targets: CSV >= 150,000 rows/s, GeoJSON >= 120,000 rows/s,
peak memory <= 200 MB independent of the number of rows, monthly statistics <= 300 ms; each printed with
whether it is met.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annual_report import machine  # noqa: E402

from open311 import bench_env, manage, setup_django  # noqa: E402 - the same throwaway setup

ROOT = Path(__file__).resolve().parent.parent
CSV_TARGET_ROWS_PER_S = 150_000
GEOJSON_TARGET_ROWS_PER_S = 120_000
PEAK_TARGET_MB = 200
STATISTICS_TARGET_S = 0.3

# Public texts for the generated reports (`reports generate` writes none): a state text on about half of
# the closed reports, an answer on every fifth report. Plain SQL for SQLite and PostgreSQL alike.
PUBLIC_TEXTS = (
    "INSERT INTO reports_event (report_id, created_at, kind, from_state, to_state, is_public, public_text, "
    "internal_note, data) SELECT id, closed_at, 'state', 'in_progress', state, TRUE, "
    "'Bearbeitet. Vielen Dank für Ihren Hinweis!', 'interne Notiz', '{}' FROM reports_report "
    "WHERE closed_at IS NOT NULL AND id % 2 = 0",
    "INSERT INTO reports_event (report_id, created_at, kind, from_state, to_state, is_public, public_text, "
    "internal_note, data) SELECT id, updated_at, 'answer', '', '', TRUE, "
    "'Wir haben Ihr Anliegen an den Bauhof weitergegeben, er kümmert sich in den nächsten Tagen darum.', "
    "'', '{}' FROM reports_report WHERE id % 5 = 0",
)


def fill(env: dict, count: int) -> tuple[int, int, str]:
    """Tops the database up to `count` reports with public texts; returns (reports, texts, vendor)."""
    manage(env, "migrate", "-v0")
    setup_django(env)
    from django.db import connection, transaction

    from stadtdigital.reports.models import Event, Report

    have = Report.objects.count()
    if have < count:
        manage(env, "reports", "generate", "--count", str(count - have))
    texts = Event.objects.exclude(public_text="")
    if not texts.exists():
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in PUBLIC_TEXTS:
                cursor.execute(sql)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    if connection.vendor == "postgresql":
        version = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    else:
        version = f"SQLite {connection.Database.sqlite_version}"
    result = Report.objects.count(), texts.count(), version
    connection.close()
    return result


# --- children ---------------------------------------------------------------------------------------------


def child_stream(name: str, fmt: str, limit: int, start: str, end: str, output: str) -> None:
    """In a child process: streams one distribution into `output`, stops after `limit` rows (0: all)."""
    import django

    started = time.perf_counter()
    django.setup()
    from stadtdigital.opendata.period import parse_period
    from stadtdigital.opendata.registry import get_dataset

    distribution = get_dataset(name).distribution(fmt)
    warm_up()
    rows = [0]
    size = 0
    setup = time.perf_counter() - started
    started = time.perf_counter()
    with open(output, "wb") as handle:
        for chunk in distribution.stream(parse_period(start, end), lambda done: rows.__setitem__(0, done)):
            handle.write(chunk)
            size += len(chunk)
            if limit and rows[0] >= limit:
                break
    print(
        json.dumps({"rows": rows[0], "bytes": size, "seconds": time.perf_counter() - started, "setup": setup})
    )


def child_refresh() -> None:
    """In a child process: the daily jobs that store the monthly statistics of ended months and the rendered
    blocks of the reports' CSV and GeoJSON."""
    import django

    django.setup()
    from stadtdigital.reports.opendata import rendered_blocks, statistics_cache

    started = time.perf_counter()
    months = statistics_cache.refresh()
    months_seconds = time.perf_counter() - started
    started = time.perf_counter()
    blocks = rendered_blocks.refresh()
    print(
        json.dumps(
            {
                "rows": months,
                "seconds": months_seconds,
                "blocks": blocks,
                "block_seconds": time.perf_counter() - started,
            }
        )
    )


def warm_up() -> None:
    """What a running web process has done already: load every URL module (the views and what they import,
    0.5 s and about 60 MB), so a child measures the export, not the start of the application."""
    from django.urls import reverse

    reverse("reports:list")


def run_child(env: dict, arguments: list[str]) -> tuple[dict, float, float]:
    """(the child's JSON line or {}, wall seconds, peak RSS in MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(arguments, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    out, err = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments[-6:])} failed:\n{err.decode(errors='replace')[-2000:]}")
    lines = out.decode().strip().splitlines()
    report = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return report, wall, usage.ru_maxrss / 1024  # KiB on Linux


def stream_case(env, work, name, fmt, limit=0, start="", end="") -> tuple[dict, float, float]:
    output = str(Path(work) / f"{name}.{fmt}")
    arguments = [sys.executable, __file__, "--child", name, fmt, str(limit), start, end, output]
    return run_child(env, arguments)


def export_command_exists(env: dict) -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "stadtdigital", "opendata", "--help"], env=env, cwd=ROOT, capture_output=True
    )
    return result.returncode == 0 and b"export" in result.stdout


# --- main -------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000, help="reports in the database (1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the median is reported (3)")
    parser.add_argument("--smoke", action="store_true", help="5,000 reports, one run")
    parser.add_argument("--data-dir", default=None, help="reuse this DATA_DIR (kept; topped up to --count)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL; default: SQLite in DATA_DIR")
    parser.add_argument(
        "--case", action="append", default=[], help="only the cases whose label starts with this (repeatable)"
    )
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    parser.add_argument("--refresh", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:  # a child that starts the application and exports nothing
        import django

        django.setup()
        warm_up()
        return 0
    if args.refresh:
        child_refresh()
        return 0
    if args.child:
        name, fmt, limit, start, end, output = args.child
        child_stream(name, fmt, int(limit), start, end, output)
        return 0
    if args.smoke:
        args.count, args.runs = 5_000, 1

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="stadtdigital-bench-")
    work = tempfile.mkdtemp(prefix="stadtdigital-bench-out-")
    try:
        env = bench_env(data_dir, args.database_url)
        started = time.perf_counter()
        reports, texts, vendor = fill(env, args.count)
        print(f"opendata: {reports:,} reports, {texts:,} public texts on {vendor}; {machine()}")
        print(f"  database ready in {time.perf_counter() - started:.0f} s; median of {args.runs} run(s)")
        part = max(reports // 10, 1)

        baseline = [run_child(env, [sys.executable, __file__, "--baseline"]) for _ in range(3)]
        base_mb = statistics.median(peak for _report, _wall, peak in baseline)
        print(f"  {'case':<34} {'rows':>9} {'MB out':>7} {'s':>6} {'rows/s':>9} {'peak MB':>8}")
        print(f"  {'child that only starts the app':<34} {'':>9} {'':>7} {'':>6} {'':>9} {base_mb:>8.0f}")

        refreshed, _wall, peak = run_child(env, [sys.executable, __file__, "--refresh"])
        label, months, seconds = "daily job: store ended months", refreshed["rows"], refreshed["seconds"]
        print(f"  {label:<34} {months:>9,} {'':>7} {seconds:>6.2f} {'':>9} {peak:>8.0f}")
        label, blocks, seconds = "daily job: render blocks", refreshed["blocks"], refreshed["block_seconds"]
        print(f"  {label:<34} {blocks:>9,} {'':>7} {seconds:>6.2f} {'':>9} {peak:>8.0f}")
        print("    (rows: months / blocks of 5,000 ids of CSV and GeoJSON computed and stored; 0 when stored")
        print("    already; peak: the child that ran both jobs)")
        live_env = {**env, "OPENDATA_RENDERED_BLOCKS": "false"}

        results = {}
        cases = [
            ("anliegen.csv", ("anliegen", "csv")),
            (f"anliegen.csv, first {part:,} rows", ("anliegen", "csv", part)),
            ("anliegen.geojson", ("anliegen", "geojson")),
            (f"anliegen.geojson, first {part:,}", ("anliegen", "geojson", part)),
            ("anliegen.csv, one month", ("anliegen", "csv", 0, *_last_month(env))),
            ("anliegen-monatsstatistik.csv", ("anliegen-monatsstatistik", "csv")),
            # Every row formatted again: what a download costs before the first nightly job, or after a
            # change of names or code until the next one (decision 0029).
            # A busy day: changes noted in 20 blocks spread over the ids (100,000 rows formatted live).
            ("anliegen.csv, 20 blocks changed", ("anliegen", "csv")),
            ("live: anliegen.csv", ("anliegen", "csv")),
            ("live: anliegen.geojson", ("anliegen", "geojson")),
        ]
        for label, case in cases:
            if args.case and not any(label.startswith(prefix) for prefix in args.case):
                continue
            case_env = live_env if label.startswith("live: ") else env
            noted = note_changed_blocks(20) if "blocks changed" in label else []
            runs = [stream_case(case_env, work, *case) for _ in range(args.runs)]
            forget_noted(noted)
            seconds = statistics.median(report["seconds"] for report, _wall, _peak in runs)
            rows, size = runs[0][0]["rows"], runs[0][0]["bytes"]
            peak = max(peak for _report, _wall, peak in runs)
            results[label] = (rows / seconds if seconds else 0, peak, seconds)
            rate = f"{rows / seconds:>9,.0f}" if rows and case[0] == "anliegen" else f"{'':>9}"
            print(f"  {label:<34} {rows:>9,} {size / 1e6:>7.1f} {seconds:>6.2f} {rate} {peak:>8.0f}")

        if args.case:
            pass  # only the chosen cases
        elif export_command_exists(env):
            output = str(Path(work) / "export.csv")
            command = [sys.executable, "-m", "stadtdigital", "opendata", "export"]
            command += ["--dataset", "anliegen", "--format", "csv", "--output", output]
            runs = [run_child(env, command) for _ in range(args.runs)]
            wall = statistics.median(w for _report, w, _peak in runs)
            peak = max(p for _report, _wall, p in runs)
            label = "`opendata export` anliegen csv"
            print(f"  {label:<34} {reports:>9,} {'':>7} {wall:>6.2f} {reports / wall:>9,.0f} {peak:>8.0f}")
            print("    (the command's wall time includes starting Django, counting the rows and fsync)")
        else:
            print("  `stadtdigital opendata export` is not available: measured through stream() only")

        ok = verdict(results, part, args.smoke)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if ok or args.smoke else 1


def verdict(results: dict, part: int, smoke: bool) -> bool:
    """Prints each target with its measured value and whether it is met; True if all measured ones are."""

    def line(name: str, value: str, target: str, met: bool) -> bool:
        state = "met" if met else "NOT MET"
        if smoke:
            state = "(smoke run: the targets are for 1,000,000 reports)"
        print(f"  target {name:<22} {value:>16}  {target:<18} {state}")
        return met

    checks = []
    for label, name, target in (
        ("anliegen.csv", "CSV rows/s", CSV_TARGET_ROWS_PER_S),
        ("anliegen.geojson", "GeoJSON rows/s", GEOJSON_TARGET_ROWS_PER_S),
    ):
        if label in results:
            rate = results[label][0]
            checks.append(line(name, f"{rate:,.0f}", f">= {target:,}", rate >= target))
    if "anliegen-monatsstatistik.csv" in results:
        seconds = results["anliegen-monatsstatistik.csv"][2]
        checks.append(
            line(
                "monthly statistics",
                f"{seconds * 1000:,.0f} ms",
                f"<= {STATISTICS_TARGET_S * 1000:.0f} ms",
                seconds <= STATISTICS_TARGET_S,
            )
        )
    if results:
        peak = max(peak for _rate, peak, _seconds in results.values())
        met = peak <= PEAK_TARGET_MB
        checks.append(line("peak memory", f"{peak:.0f} MB", f"<= {PEAK_TARGET_MB} MB", met))
    whole, first = results.get("anliegen.csv"), results.get(f"anliegen.csv, first {part:,} rows")
    if whole and first:
        growth = whole[1] - first[1]
        print(f"  memory, all rows vs the first 10 %: {growth:+.0f} MB (flat: independent of the rows)")
    return all(checks)


def note_changed_blocks(count: int) -> list[int]:
    """Notes a change in `count` blocks spread evenly over the stored ones, as the triggers would for changed
    reports (the data itself stays as it is); returns the ids of the marks."""
    from stadtdigital.reports.models import RenderedBlock, RenderedBlockChange

    stored = sorted(set(RenderedBlock.objects.values_list("block", flat=True)))
    if not stored:
        return []
    chosen = sorted({stored[i * len(stored) // count] for i in range(count)})
    marks = RenderedBlockChange.objects.bulk_create([RenderedBlockChange(block=block) for block in chosen])
    return [mark.pk for mark in marks if mark.pk] or list(
        RenderedBlockChange.objects.filter(block__in=chosen).values_list("pk", flat=True)
    )


def forget_noted(ids: list[int]) -> None:
    from stadtdigital.reports.models import RenderedBlockChange

    RenderedBlockChange.objects.filter(pk__in=ids).delete()


def _last_month(env: dict) -> tuple[str, str]:
    """The last full calendar month before the newest report (as start_date, end_date)."""
    import datetime

    from stadtdigital.reports.models import Report

    newest = Report.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    end = newest.date().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1).isoformat(), end.isoformat()


if __name__ == "__main__":
    sys.exit(main())
