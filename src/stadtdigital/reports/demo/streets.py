# ruff: noqa: SIM905  (word lists are data)
"""The synthetic street grid of the demo city "Musterstadt" (inside settings.CITY_BOUNDS' default area).

Deterministic: the same streets, names and coordinates every time. `scripts/make_demo_streets.py` writes
them to `reports/data/demo_streets.csv` (the street list of the geocoder) and
`reports/data/demo_basemap.geojson` (a drawable base map when no tile server is configured); the demo
loader reads the GeoJSON back to place reports along the streets.
"""

import json
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STREETS_CSV = DATA_DIR / "demo_streets.csv"
BASEMAP_GEOJSON = DATA_DIR / "demo_basemap.geojson"

# The demo city area (south, west, north, east) and its centre (the Marktplatz).
BOUNDS = (49.10, 9.13, 49.19, 9.28)
CENTER = (49.142, 9.21)
MARGIN = 0.004  # keep every street this far (degrees) inside the bounds
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = M_PER_DEG_LAT * math.cos(math.radians(CENTER[0]))

PERSONS = (
    "Schiller Goethe Lessing Mozart Beethoven Bach Händel Haydn Schubert Kant Hegel Uhland Mörike "
    "Hölderlin Kerner Hauff Heine Eichendorff Fontane Storm Brecht Kepler Humboldt Röntgen Daimler Benz "
    "Bosch Diesel Zeppelin Gutenberg Dürer Holbein Riemenschneider Luther Melanchthon Brahms Wagner "
    "Schumann Mendelssohn Grimm Körner Hebel Rückert Herder Wieland Klopstock Novalis Liebig Siemens"
).split()
NATURE = (
    "Linden Eichen Birken Ahorn Kastanien Buchen Ulmen Erlen Eschen Weiden Tannen Fichten Kiefern "
    "Rosen Tulpen Nelken Lilien Veilchen Astern Dahlien Flieder Holunder Amsel Drossel Finken Meisen "
    "Lerchen Schwalben Falken Stare Kirsch Apfel Birnen Nuss Reben Wein Sonnen Stern Quellen Brunnen "
    "Wiesen Feld Berg Tal Bach Wald Mühl Garten Hecken Hag Au"
).split()
TOWNS = (
    "Heilbronner Stuttgarter Neckarsulmer Weinsberger Würzburger Mannheimer Heidelberger Karlsruher "
    "Öhringer Löwensteiner Lauffener Eppinger Sinsheimer Brackenheimer Möckmühler Ulmer Esslinger"
).split()
PLACES = "Kirch Schul Bahnhof Post Markt Rathaus Hafen Brücken Turm Burg Kloster Spital Zehnt Kelter".split()
SUFFIXES_PERSON = ("straße", "straße", "straße", "weg", "platz", "allee")
SUFFIXES_NATURE = ("weg", "weg", "straße", "gasse", "steige", "ring", "allee")
PHRASES = (
    "Am Stadtpark",
    "Am Weinberg",
    "Am Mühlbach",
    "Am Sonnenhang",
    "Am Rain",
    "Am Kirchberg",
    "Im Wiesental",
    "Im Grund",
    "Im Gässle",
    "Im Letten",
    "In den Gärten",
    "In der Au",
    "An der Mühle",
    "An der Kelter",
    "An der Stadtmauer",
    "Auf dem Berg",
    "Auf der Höhe",
    "Hinter den Gärten",
    "Unter den Linden",
    "Zur Kelter",
    "Zum Sportplatz",
    "Alter Markt",
    "Obere Gasse",
    "Untere Gasse",
    "Lange Gasse",
    "Kurze Straße",
    "Neue Straße",
    "Hohe Straße",
)
MAIN_ROADS = (  # long through roads: (name, orientation)
    ("Hauptstraße", "ew"),
    ("Bahnhofstraße", "ns"),
    ("Heilbronner Straße", "ew"),
    ("Stuttgarter Straße", "ns"),
    ("Neckarstraße", "ns"),
    ("Ringstraße", "ew"),
    ("Friedrichstraße", "ew"),
    ("Karlstraße", "ns"),
    ("Wilhelmstraße", "ew"),
    ("Kaiserstraße", "ns"),
)
LANDMARKS = (
    "Rathaus",
    "Hauptbahnhof",
    "Busbahnhof",
    "Marktplatz",
    "Stadtbibliothek",
    "Stadthalle",
    "Theater",
    "Stadtmuseum",
    "Volkshochschule",
    "Musikschule",
    "Freibad",
    "Hallenbad",
    "Stadtpark",
    "Stadtgarten",
    "Rosenpark",
    "Alter Friedhof",
    "Hauptfriedhof",
    "Botanischer Garten",
    "Sportpark Nord",
    "Eisstadion",
    "Klinikum",
    "Feuerwache",
    "Bürgeramt",
    "Recyclinghof",
    "Jugendhaus",
    "Seniorenzentrum",
    "Tierheim",
    "Grundschule Altstadt",
    "Grundschule Nord",
    "Grundschule Süd",
    "Grundschule Oststadt",
    "Schiller-Gymnasium",
    "Kepler-Gymnasium",
    "Realschule Süd",
    "Gemeinschaftsschule Ost",
    "Berufliches Schulzentrum",
    "Kita Sonnenschein",
    "Spielplatz Weinberg",
    "Neckarufer",
    "Skatepark",
    "Hafen",
)


@dataclass(frozen=True)
class Street:
    name: str
    points: tuple[tuple[float, float], ...]  # (lat, lon) along the street

    @property
    def length_m(self) -> float:
        return sum(distance_m(a, b) for a, b in zip(self.points, self.points[1:], strict=False))

    def point_at(self, fraction: float) -> tuple[float, float]:
        """The point at `fraction` (0..1) of the street's length."""
        target = max(0.0, min(1.0, fraction)) * self.length_m
        for a, b in zip(self.points, self.points[1:], strict=False):
            step = distance_m(a, b)
            if target <= step and step > 0:
                t = target / step
                return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            target -= step
        return self.points[-1]

    @property
    def middle(self) -> tuple[float, float]:
        return self.point_at(0.5)


@dataclass(frozen=True)
class Landmark:
    name: str
    lat: float
    lon: float


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot((a[0] - b[0]) * M_PER_DEG_LAT, (a[1] - b[1]) * M_PER_DEG_LON)


def street_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = [name for name, _ in MAIN_ROADS] + list(PHRASES)
    seen = set(names)
    candidates = []
    for person in PERSONS:
        candidates += [f"{person}{suffix}" for suffix in sorted(set(SUFFIXES_PERSON))]
    for word in NATURE:
        candidates += [f"{word}{suffix}" for suffix in sorted(set(SUFFIXES_NATURE))]
    for town in TOWNS:
        candidates += [f"{town} Straße", f"{town} Weg"]
    for place in PLACES:
        candidates += [f"{place}straße", f"{place}gasse", f"{place}platz", f"{place}weg"]
    rng.shuffle(candidates)
    stems_used: dict[str, int] = {}
    for candidate in candidates:
        if len(names) >= count:
            break
        stem = re.sub(r"(straße|weg|platz|gasse|allee|steige|ring)$", "", candidate.split(" ")[0])
        # at most three streets per stem, and never a landmark's name
        if candidate in seen or candidate in LANDMARKS or stems_used.get(stem, 0) >= 3:
            continue
        stems_used[stem] = stems_used.get(stem, 0) + 1
        seen.add(candidate)
        names.append(candidate)
    return names[:count]


def _clamp(lat: float, lon: float) -> tuple[float, float]:
    south, west, north, east = BOUNDS
    return (
        round(min(north - MARGIN, max(south + MARGIN, lat)), 6),
        round(min(east - MARGIN, max(west + MARGIN, lon)), 6),
    )


def build_city(seed: int = 2021, street_count: int = 300) -> tuple[list[Street], list[Landmark]]:
    """Streets on a jittered grid, denser near the centre, plus landmarks near streets."""
    rng = random.Random(f"stadtdigital-demo-city:{seed}")
    names = street_names(rng, street_count)
    cell_lat, cell_lon = 220 / M_PER_DEG_LAT, 220 / M_PER_DEG_LON
    streets: list[Street] = []
    for index, name in enumerate(names):
        if index < len(MAIN_ROADS):
            orientation = MAIN_ROADS[index][1]
            offset = (index - len(MAIN_ROADS) / 2) * 2.2
            start = (
                CENTER[0] + (offset * cell_lat if orientation == "ew" else 0),
                CENTER[1] + (offset * cell_lon if orientation == "ns" else 0),
            )
            cells = rng.randint(22, 34)
            start = (
                start[0] - (cells / 2 * cell_lat if orientation == "ns" else 0),
                start[1] - (cells / 2 * cell_lon if orientation == "ew" else 0),
            )
        else:
            orientation = rng.choice(("ew", "ns"))
            radius = abs(rng.gauss(0, 9)) + 0.5  # cells from the centre; most streets within ~2 km
            angle = rng.uniform(0, 2 * math.pi)
            gy = round(radius * math.sin(angle))
            gx = round(radius * math.cos(angle))
            start = (CENTER[0] + gy * cell_lat, CENTER[1] + gx * cell_lon)
            cells = rng.randint(2, 7) if not name.endswith("platz") else 1
        points = [start]
        lat, lon = start
        bend = rng.uniform(-0.15, 0.15)
        for _ in range(cells):
            if orientation == "ew":
                lon += cell_lon
                lat += cell_lat * (bend + rng.uniform(-0.08, 0.08))
            else:
                lat += cell_lat
                lon += cell_lon * (bend + rng.uniform(-0.08, 0.08))
            points.append((lat, lon))
        clamped = []
        for point in points:
            point = _clamp(*point)
            if not clamped or clamped[-1] != point:
                clamped.append(point)
        if len(clamped) == 1:
            clamped.append(_clamp(clamped[0][0] + cell_lat / 3, clamped[0][1] + cell_lon / 3))
        streets.append(Street(name, tuple(clamped)))
    landmarks = []
    for n, name in enumerate(LANDMARKS):
        if n == 0:
            lat, lon = CENTER[0] + 0.0004, CENTER[1] + 0.0003  # the Rathaus at the Marktplatz
        elif name == "Marktplatz":
            lat, lon = CENTER
        else:
            street = streets[rng.randrange(len(streets))]
            lat, lon = street.point_at(rng.random())
            lat += rng.uniform(-40, 40) / M_PER_DEG_LAT
            lon += rng.uniform(-40, 40) / M_PER_DEG_LON
        landmarks.append(Landmark(name, *_clamp(lat, lon)))
    return streets, landmarks


HOUSE_NUMBER_SPACING_M = 9  # one house number pair per 9 m of street, as Places.pick numbers its reports
SEGMENT_LENGTH_M = 60


def house_number_at(distance_along_m: float) -> int:
    """The even house number at a distance along the street (the odd one is across the street)."""
    return max(1, int(distance_along_m / HOUSE_NUMBER_SPACING_M)) * 2


def streets_csv(streets: list[Street], landmarks: list[Landmark]) -> str:
    """`name;lat;lon;hausnummern`: one row per street (its middle), one row per landmark, and one row per
    ~60 m section of a street with the house numbers along it ("12-23"), for "nahe Hauptstraße 12–23"."""
    lines = ["name;lat;lon;hausnummern"]
    for street in streets:
        lat, lon = street.middle
        lines.append(f"{street.name};{lat:.6f};{lon:.6f};")
    for landmark in landmarks:
        lines.append(f"{landmark.name};{landmark.lat:.6f};{landmark.lon:.6f};")
    for street in streets:
        length = street.length_m
        sections = max(1, round(length / SEGMENT_LENGTH_M))
        for n in range(sections):
            start, end = length * n / sections, length * (n + 1) / sections
            lat, lon = street.point_at((start + end) / 2 / length if length else 0.5)
            first = house_number_at(start)
            # up to the odd number before the next section's first (even) one; the last section ends odd
            last = house_number_at(end) + 1 if n == sections - 1 else house_number_at(end) - 1
            lines.append(f"{street.name};{lat:.6f};{lon:.6f};{first}-{last}")
    return "\n".join(lines) + "\n"


def basemap_geojson(streets: list[Street], landmarks: list[Landmark]) -> str:
    features = [
        {
            "type": "Feature",
            "properties": {"name": s.name, "kind": "street"},
            "geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in s.points]},
        }
        for s in streets
    ] + [
        {
            "type": "Feature",
            "properties": {"name": m.name, "kind": "landmark"},
            "geometry": {"type": "Point", "coordinates": [m.lon, m.lat]},
        }
        for m in landmarks
    ]
    collection = {
        "type": "FeatureCollection",
        "name": "Musterstadt (synthetisch)",
        "properties": {"note": "Synthetischer Stadtplan der Demo; keine echten Straßen."},
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def load_city(path: Path = BASEMAP_GEOJSON) -> tuple[list[Street], list[Landmark]]:
    """Reads the streets and landmarks back from the shipped GeoJSON (falls back to building them)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return build_city()
    streets, landmarks = [], []
    for feature in data["features"]:
        geometry, name = feature["geometry"], feature["properties"]["name"]
        if geometry["type"] == "LineString":
            streets.append(Street(name, tuple((lat, lon) for lon, lat in geometry["coordinates"])))
        elif geometry["type"] == "Point":
            lon, lat = geometry["coordinates"]
            landmarks.append(Landmark(name, lat, lon))
    return streets, landmarks
