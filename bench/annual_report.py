"""Benchmark: time to build the Digitalisierungsbericht as HTML + PDF.

    python bench/annual_report.py            # demo portfolio (102 projects) and 10,000 generated projects
    python bench/annual_report.py --smoke    # tiny run for CI (< 60 s)

Sets up its own throwaway SQLite database in a temporary DATA_DIR. Each timed run builds the figures from the
history, renders the charts (chart cache cleared), the HTML and the PDF, i.e. what publishing costs apart from
JSON/CSV. Prints the median of several runs and the machine. Targets: demo <= 3 s, 10,000 projects <= 30 s.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ["DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "stadtdigital.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.pop("DATABASE_URL", None)
    os.environ["HTTPS_ONLY"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram} RAM, Python {platform.python_version()}, {platform.system()}"
    )


def time_report(as_of, runs: int) -> tuple[list[float], dict]:
    from stadtdigital.portfolio.annual_report import charts
    from stadtdigital.portfolio.annual_report.figures import build_report_data
    from stadtdigital.portfolio.annual_report.render import render_html, render_pdf

    times, info = [], {}
    for _ in range(runs):
        charts._all_charts.cache_clear()
        start = time.perf_counter()
        data = build_report_data(as_of)
        html = render_html(data)
        pdf = render_pdf(data)
        times.append(time.perf_counter() - start)
        info = {"projects": data["total_projects"], "html_bytes": len(html.encode()), "pdf_bytes": len(pdf)}
    return times, info


def time_tagging(as_of, runs: int) -> tuple[float, float]:
    """Medians of the PDF step alone, untagged vs. PDF/UA-1 (tagged), alternating in one run."""
    from weasyprint import HTML

    from stadtdigital.portfolio.annual_report import render
    from stadtdigital.portfolio.annual_report.figures import build_report_data

    html = render._pdf_chart_alternatives(render._document(build_report_data(as_of), "pdf"))
    plain, tagged = [], []
    for _ in range(runs):
        for variant, times in ((None, plain), ("pdf/ua-1", tagged)):
            start = time.perf_counter()
            HTML(string=html, base_url=str(render.STATIC_DIR)).render().write_pdf(pdf_variant=variant)
            times.append(time.perf_counter() - start)
    return statistics.median(plain), statistics.median(tagged)


def report(label: str, times: list[float], info: dict, target: float | None) -> str:
    median = statistics.median(times)
    verdict = "" if target is None else ("  OK" if median <= target else f"  SLOWER than target {target:g} s")
    runs = ", ".join(f"{t:.2f}" for t in times)
    line = (
        f"{label:<28} {info['projects']:>6} projects  median {median:6.2f} s  (runs: {runs})  "
        f"PDF {info['pdf_bytes'] / 1024:,.0f} KiB{verdict}"
    )
    print(line, flush=True)
    return line


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run each (CI)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per size (default 3)")
    parser.add_argument("--size", type=int, default=10_000, help="generated portfolio size (default 10000)")
    parser.add_argument(
        "--demo-only", action="store_true", help="only the demo portfolio (no generated portfolio)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stadtdigital-bench-") as data_dir:
        setup_django(data_dir)
        from stadtdigital.portfolio import demo

        print(f"machine: {machine()}")
        if args.smoke:
            demo.generate_portfolio(30, seed=1)
            times, info = time_report(demo.HISTORY_END, 1)
            report("smoke (30 generated)", times, info, None)
            return 0

        demo.load_demo_portfolio(publish=False)
        times, info = time_report(demo.REPORT_2021_AS_OF, args.runs + 1)  # first run warms up
        failed = "SLOWER" in report("demo portfolio (102)", times[1:], info, 3.0)
        plain, tagged = time_tagging(demo.REPORT_2021_AS_OF, args.runs)
        print(f"PDF step untagged {plain:.2f} s, PDF/UA-1 tagged {tagged:.2f} s (x{tagged / plain:.2f})")
        if args.demo_only:
            return 1 if failed else 0
        start = time.perf_counter()
        demo.generate_portfolio(args.size - demo_count(), seed=0)
        print(f"(generated {args.size} projects in {time.perf_counter() - start:.1f} s)", flush=True)
        times, info = time_report(demo.HISTORY_END, args.runs)
        line = report(f"{args.size:,} projects".replace(",", "."), times, info, 30.0)
        failed = failed or "SLOWER" in line
        return 1 if failed else 0


def demo_count() -> int:
    from stadtdigital.portfolio.models import Project

    return Project.objects.count()


if __name__ == "__main__":
    sys.exit(main())
