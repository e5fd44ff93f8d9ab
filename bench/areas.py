"""Benchmark: routing one report by point-in-polygon among many areas of responsibility.

    python bench/areas.py                  # 1,000 areas (polygons of 40 vertices), throwaway SQLite database
    python bench/areas.py --smoke          # 50 areas (CI)
    python bench/areas.py --database-url postgres://...

Areas are irregular polygons (40 vertices, some with a hole) of 0.2-3 km across, scattered over
CITY_BOUNDS and overlapping, for 5 bodies, half of them for one category only. Times `area_for()` (the
indexed bounding-box pre-filter in the database, then shapely's `covers` on the candidates, shapes parsed
once per process) for 2,000 random points with random categories, after a warm-up of 200. Prints median
and p95. Target: median < 5 ms with 1,000 areas.
"""

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annual_report import machine  # noqa: E402
from nearby import setup_django  # noqa: E402


def polygon(rng, lat, lon, radius_deg, vertices=40):
    ring = []
    for index in range(vertices):
        angle = 2 * math.pi * index / vertices
        r = radius_deg * rng.uniform(0.6, 1.0)
        ring.append([round(lon + r * math.cos(angle) * 1.5, 6), round(lat + r * math.sin(angle), 6)])
    ring.append(ring[0])
    rings = [ring]
    if rng.random() < 0.3:  # a hole
        hole = [
            [lon + radius_deg * 0.2 * math.cos(a) * 1.5, lat + radius_deg * 0.2 * math.sin(a)]
            for a in (2 * math.pi * i / 8 for i in range(8))
        ]
        rings.append([*hole, hole[0]])
    return {"type": "Polygon", "coordinates": rings}


def fill(count: int, seed: int = 3):
    from django.conf import settings
    from shapely.geometry import shape

    from stadtdigital.core.models import Department
    from stadtdigital.reports.models import Area, Category, CategoryGroup, SendMethod, SendTarget

    rng = random.Random(seed)
    department, _ = Department.objects.get_or_create(name="Bench-Amt", slug="bench-amt")
    group, _ = CategoryGroup.objects.get_or_create(name="Bench")
    categories = [
        Category.objects.get_or_create(
            code=f"bench-{i}", defaults={"name": f"Bench {i}", "group": group, "department": department}
        )[0]
        for i in range(13)
    ]
    targets = [
        SendTarget.objects.get_or_create(name=f"Stelle {i}", defaults={"method": SendMethod.RECORD})[0]
        for i in range(5)
    ]
    south, west, north, east = settings.CITY_BOUNDS
    rows = []
    for index in range(count):
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        geometry = polygon(rng, lat, lon, rng.uniform(0.001, 0.013))
        w, s, e, n = shape(geometry).bounds
        rows.append(
            Area(
                name=f"Gebiet {index}",
                target=rng.choice(targets),
                geometry=geometry,
                south=s,
                west=w,
                north=n,
                east=e,
            )
        )
    created = Area.objects.bulk_create(rows, batch_size=500)
    Through = Area.categories.through
    Through.objects.bulk_create(
        Through(area_id=area.pk, category_id=rng.choice(categories).pk)
        for area in created
        if rng.random() < 0.5
    )
    return categories


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--areas", type=int, default=1000)
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="50 areas, 200 points (CI)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.smoke:
        args.areas, args.points = 50, 200
    with tempfile.TemporaryDirectory(prefix="stadtdigital-bench-") as data_dir:
        setup_django(data_dir, args.database_url)
        from django.conf import settings
        from django.db import connection

        from stadtdigital.reports.sending.areas import area_for

        categories = fill(args.areas)
        rng = random.Random(11)
        south, west, north, east = settings.CITY_BOUNDS
        points = [
            (rng.uniform(south, north), rng.uniform(west, east), rng.choice(categories).pk)
            for _ in range(args.points + 200)
        ]
        started = time.perf_counter()
        sum(range(1_000_000))
        reference = (time.perf_counter() - started) * 1000
        hits = 0
        timings = []
        for index, (lat, lon, category_id) in enumerate(points):
            started = time.perf_counter()
            area = area_for(lat, lon, category_id)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= 200:  # after the warm-up (shapes parsed once per process)
                timings.append(elapsed)
                hits += area is not None
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        import os

        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"areas: {args.areas:,} areas on {connection.vendor}; {machine()}; load average {load}")
        print(
            f"  area_for: median {median:.2f} ms, p95 {p95:.2f} ms over {len(timings)} points "
            f"({hits} inside an area); reference: sum(range(10**6)) took {reference:.0f} ms"
        )
        if args.database_url:
            from stadtdigital.reports.models import Area

            Area.objects.all().delete()
        if median >= 5 and not args.smoke:
            print("  target missed: median >= 5 ms")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
