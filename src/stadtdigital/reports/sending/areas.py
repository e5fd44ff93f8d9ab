"""Areas of responsibility: import from GeoJSON and point-in-polygon look-up.

Every process keeps the areas' shapes in a shapely STRtree (a bounding-box R-tree: the pre-filter), built
once and rebuilt when a small aggregate query (run at most every RECHECK_SECONDS) shows that areas
changed; shapely then decides containment
for the few candidates. Routing a report costs that query, the tree look-up and one row for the winner
(bench/areas.py: well under 5 ms with 1,000 areas). The bounding-box columns stay for queries in SQL."""

import json
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from stadtdigital.reports.models import Area


@dataclass
class _Index:
    version: tuple
    tree: STRtree
    ids: list[int]
    ranks: list[float]  # bounding box size: the smallest area wins
    categories: list[frozenset]


_INDEX: _Index | None = None
_CHECKED_AT = 0.0
RECHECK_SECONDS = 10  # other processes see imported areas after at most this long


def forget_index() -> None:
    global _INDEX
    _INDEX = None


def _version() -> tuple:
    """Changes whenever areas are added, removed or replaced (checked on every look-up, one small query)."""
    stats = Area.objects.aggregate(count=Count("id"), last=Max("id"), changed=Max("created_at"))
    return (stats["count"], stats["last"], stats["changed"])


def _index() -> _Index:
    """All areas' shapes in an STRtree, built once per process and rebuilt when the areas changed."""
    global _INDEX, _CHECKED_AT
    now = time.monotonic()
    if _INDEX is not None and now - _CHECKED_AT < RECHECK_SECONDS:
        return _INDEX
    _CHECKED_AT = now
    version = _version()
    if _INDEX is not None and _INDEX.version == version:
        return _INDEX
    categories: dict[int, set] = {}
    for area_id, category_id in Area.categories.through.objects.values_list("area_id", "category_id"):
        categories.setdefault(area_id, set()).add(category_id)
    ids, shapes, ranks = [], [], []
    for area_id, geometry, south, west, north, east in Area.objects.values_list(
        "id", "geometry", "south", "west", "north", "east"
    ).iterator(chunk_size=500):
        ids.append(area_id)
        shapes.append(shape(geometry))
        ranks.append((north - south) * (east - west))
    _INDEX = _Index(
        version=version,
        tree=STRtree(shapes),
        ids=ids,
        ranks=ranks,
        categories=[frozenset(categories.get(area_id, ())) for area_id in ids],
    )
    return _INDEX


def area_for(lat: float, lon: float, category_id: int | None = None) -> Area | None:
    """The responsible area at the point (its edge counts as inside): one for this category first, else
    one for all categories; the smallest bounding box wins among several."""
    index = _index()
    if not index.ids:
        return None
    best, best_rank = None, None
    for position in index.tree.query(Point(lon, lat), predicate="intersects"):
        only = index.categories[position]
        if only and category_id not in only:
            continue
        rank = (0 if only else 1, index.ranks[position])
        if best_rank is None or rank < best_rank:
            best, best_rank = index.ids[position], rank
    if best is None:
        return None
    return Area.objects.select_related("target", "department").filter(pk=best).first()


class AreaImportError(ValueError):
    pass


@dataclass
class ImportSummary:
    created: int = 0
    skipped: list[str] = None

    def __post_init__(self):
        self.skipped = self.skipped or []


def _polygons(data) -> list[tuple[str, dict]]:
    if not isinstance(data, dict):
        raise AreaImportError("Die Datei ist kein GeoJSON-Objekt.")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features") or []
    elif kind == "Feature":
        features = [data]
    elif kind in ("Polygon", "MultiPolygon"):
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise AreaImportError(
            f"Unbekannter GeoJSON-Typ: {kind!r} (erwartet FeatureCollection, Feature, Polygon)."
        )
    result = []
    for index, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        name = str(properties.get("name") or properties.get("NAME") or f"Gebiet {index}")[:200]
        result.append((name, (feature or {}).get("geometry")))
    return result


def import_areas(
    path, *, department=None, target=None, categories=(), replace: bool = False
) -> ImportSummary:
    """Imports every Polygon/MultiPolygon of the GeoJSON file for the body; other geometries are skipped
    with a reason. All or nothing for invalid JSON; `replace` deletes the body's earlier areas."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise AreaImportError(f"{path}: {exc}") from exc
    summary = ImportSummary()
    rows = []
    for name, geometry in _polygons(data):
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            summary.skipped.append(f"{name}: keine Fläche ({(geometry or {}).get('type')})")
            continue
        try:
            parsed = shape(geometry)
        except Exception as exc:  # noqa: BLE001 - shapely raises several kinds for broken coordinates
            summary.skipped.append(f"{name}: ungültige Koordinaten ({exc})")
            continue
        if parsed.is_empty or not parsed.is_valid:
            summary.skipped.append(f"{name}: ungültige Fläche ({explain_validity(parsed)})")
            continue
        west, south, east, north = parsed.bounds
        if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
            summary.skipped.append(f"{name}: Koordinaten außerhalb von WGS84")
            continue
        rows.append(
            Area(
                name=name,
                department=department,
                target=target,
                geometry=geometry,
                south=south,
                west=west,
                north=north,
                east=east,
            )
        )
    with transaction.atomic():
        if replace:
            Area.objects.filter(department=department, target=target).delete()
        created = Area.objects.bulk_create(rows)
        for area in created:
            if categories:
                area.categories.set(categories)
    forget_index()
    summary.created = len(created)
    return summary
