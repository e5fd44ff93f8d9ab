"""Writes the synthetic demo city's street list and base map (deterministic; run after changing the grid).

    .venv/bin/python scripts/make_demo_streets.py

Output: src/stadtdigital/reports/data/demo_streets.csv (`name;lat;lon`, UTF-8) and
src/stadtdigital/reports/data/demo_basemap.geojson (LineStrings for streets, Points for landmarks).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
# The demo package imports models: Django must be set up (no database is touched).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtdigital.settings")
os.environ.setdefault("SECRET_KEY", "make-demo-streets-only")
import django  # noqa: E402

django.setup()

from stadtdigital.reports.demo.streets import (  # noqa: E402
    BASEMAP_GEOJSON,
    STREETS_CSV,
    basemap_geojson,
    build_city,
    streets_csv,
)


def main() -> None:
    streets, landmarks = build_city()
    STREETS_CSV.write_text(streets_csv(streets, landmarks), encoding="utf-8", newline="\n")
    BASEMAP_GEOJSON.write_text(basemap_geojson(streets, landmarks), encoding="utf-8", newline="\n")
    print(f"{len(streets)} Straßen, {len(landmarks)} Orte -> {STREETS_CSV.name}, {BASEMAP_GEOJSON.name}")


if __name__ == "__main__":
    main()
