"""Benchmark: the local assistance (category suggestions and likely duplicates) at a million reports.

    python bench/assist.py             # 1,000,000 reports, throwaway SQLite database
    python bench/assist.py --smoke     # 20,000 reports (CI)
    python bench/assist.py --data-dir /tmp/bench1m/data   # reuse a filled DATA_DIR (topped up to --count)
    python bench/assist.py --database-url postgres://...  # PostgreSQL

Fills a throwaway database with N synthetic reports (`generate_reports`: the demo's realistic wording,
13 categories, 10 % open, two years), then measures:

1. training (`train_and_store(evaluate=False)`) in a child process: wall time and the child's peak memory
   (max RSS). Targets at 1,000,000 reports: <= 10 minutes, <= 1 GB.
2. suggestion latency in the request: 1,000 GETs of the htmx endpoint /anliegen/neu/kategorievorschlaege/
   through Django's test client with realistic texts (model already loaded, as in a running server). p95
   target <= 20 ms.
3. duplicate candidates for one new report (`likely_duplicates` for an unsaved report at a random place of
   the city, random category, now): 1,000 look-ups, median target <= 10 ms.
"""

import argparse
import contextlib
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annual_report import machine  # noqa: E402
from nearby import setup_django  # noqa: E402


def train_child(data_dir: str, database_url: str | None) -> None:
    """Runs in a child process so that its peak memory is the training's alone."""
    setup_django(data_dir, database_url)
    from stadtdigital.reports.assist.training import train_and_store

    started = time.perf_counter()
    model = train_and_store(evaluate=False)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "reports": model.training_reports,
                "model_mb": len(model.data) / 1e6,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def train_in_memory(count: int) -> None:
    """The classifier alone on `count` generated texts (no database): time and peak memory of this process.
    Texts are generated chunk by chunk, twice (document frequencies, then the model), as training does."""
    setup_django(tempfile.mkdtemp(prefix="bench-assist-train-"), None)  # the texts module imports models
    from stadtdigital.reports.assist.classifier import Classifier
    from stadtdigital.reports.demo.texts import PROBLEMS, description

    codes = sorted(PROBLEMS)

    def chunks():
        rng = random.Random(5)
        for start in range(0, count, 20_000):
            labels = [rng.randrange(len(codes)) for _ in range(min(20_000, count - start))]
            yield [description(rng, codes[label], "Hauptstraße 3") for label in labels], labels

    started = time.perf_counter()
    cpu = time.process_time()
    classifier = Classifier().fit(chunks)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "cpu_seconds": time.process_time() - cpu,
                "reports": count,
                "model_mb": len(classifier.to_bytes()) / 1e6,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1_000)
    parser.add_argument("--smoke", action="store_true", help="20,000 reports, 200 runs")
    parser.add_argument("--data-dir", default=None, help="reuse this DATA_DIR (kept; topped up to --count)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL; default: SQLite in DATA_DIR")
    parser.add_argument("--train-child", default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--train-in-memory",
        type=int,
        default=None,
        metavar="N",
        help="only train the classifier on N generated texts, without a database (time and peak memory)",
    )
    args = parser.parse_args()
    if args.train_child:
        train_child(args.train_child, args.database_url)
        return 0
    if args.train_in_memory:
        train_in_memory(args.train_in_memory)
        return 0
    count, runs = (20_000, 200) if args.smoke else (args.count, args.runs)
    with contextlib.ExitStack() as stack:
        data_dir = args.data_dir or stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-assist-"))
        setup_django(data_dir, args.database_url)
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from stadtdigital.reports.assist.duplicates import likely_duplicates
        from stadtdigital.reports.assist.training import current_model
        from stadtdigital.reports.demo import generate_reports, texts
        from stadtdigital.reports.demo.loader import Places, _clip
        from stadtdigital.reports.demo.streets import load_city
        from stadtdigital.reports.models import Category, Report

        print(machine())
        started = time.perf_counter()
        missing = count - Report.objects.count()
        if missing > 0:
            generate_reports(
                missing,
                events=False,
                progress=lambda done, total: print(f"\r  {done}/{total} reports", end="", file=sys.stderr),
            )
            print(f"\nadded {missing} reports in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print(f"{Report.objects.count():,} reports on {connection.vendor}")

        child = subprocess.run(
            [sys.executable, __file__, "--train-child", data_dir]
            + (["--database-url", args.database_url] if args.database_url else []),
            capture_output=True,
            text=True,
            check=True,
        )
        training = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"training on {training['reports']} reports: {training['seconds']:.1f} s, "
            f"peak memory {training['max_rss_mb']:.0f} MB, stored model {training['model_mb']:.1f} MB"
        )

        rng = random.Random(3)
        categories = list(Category.objects.all())
        current_model()  # loaded once per process, as in a running server
        client = Client(HTTP_HOST="localhost")
        samples = [texts.description(rng, rng.choice(categories).code, "Hauptstraße 3") for _ in range(runs)]
        latencies = []
        for text in samples:
            begin = time.perf_counter()
            response = client.get(
                "/anliegen/neu/kategorievorschlaege/", {"description": text, "kategorie": ""}
            )
            latencies.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, response.status_code
        print(
            f"suggestion request: median {statistics.median(latencies):.1f} ms, "
            f"p95 {percentile(latencies, 0.95):.1f} ms ({runs} requests)"
        )

        places = Places(*load_city())
        now = timezone.now()
        durations, found = [], 0
        for text in samples:
            lat, lon, _address = places.pick(rng)
            lat, lon = _clip(lat, lon)
            category = rng.choice(categories)
            report = Report(category=category, lat=lat, lon=lon, created_at=now, description=text)
            begin = time.perf_counter()
            found += len(likely_duplicates(report))
            durations.append((time.perf_counter() - begin) * 1000)
        print(
            f"duplicate candidates for a new report: median {statistics.median(durations):.2f} ms, "
            f"p95 {percentile(durations, 0.95):.2f} ms ({runs} look-ups, {found} candidates shown)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
