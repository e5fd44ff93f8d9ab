"""Areas of responsibility: import from GeoJSON and point-in-polygon look-up.

The database pre-filters by bounding box (indexed columns south/west/north/east), then shapely decides
containment for the few candidates. Shapes are parsed once per process and cached by (id, created_at)
so that routing a report costs one indexed query and a handful of `contains` tests (bench/areas.py:
well under 5 ms with 1,000 areas)."""

import json
from dataclasses import dataclass

from django.db import transaction
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from stadtdigital.reports.models import Area

_SHAPES: dict[tuple[int, str], object] = {}


class AreaImportError(ValueError):
    pass


def _shape(area: Area):
    key = (area.pk, area.created_at.isoformat())
    geometry = _SHAPES.get(key)
    if geometry is None:
        geometry = shape(area.geometry)
        if len(_SHAPES) > 20000:
            _SHAPES.clear()
        _SHAPES[key] = geometry
    return geometry


def area_for(lat: float, lon: float, category_id: int | None = None) -> Area | None:
    """The responsible area at the point: one for this category first, else one for all categories;
    the smallest bounding box wins among several."""
    candidates = (
        Area.objects.filter(south__lte=lat, north__gte=lat, west__lte=lon, east__gte=lon)
        .select_related("target")
        .prefetch_related("categories")
    )
    point = Point(lon, lat)
    best = None
    best_rank = None
    for area in candidates:
        category_ids = {category.pk for category in area.categories.all()}
        if category_ids and category_id not in category_ids:
            continue
        if not _shape(area).covers(point):
            continue
        rank = (0 if category_ids else 1, (area.north - area.south) * (area.east - area.west))
        if best_rank is None or rank < best_rank:
            best, best_rank = area, rank
    return best


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
    summary.created = len(created)
    return summary
