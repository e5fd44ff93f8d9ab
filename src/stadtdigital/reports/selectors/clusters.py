"""Server-side clustering of the map's markers, so the map stays fast with 100,000 open reports.

The visible area (bbox) is cut into a grid of cells of about CELL_PX screen pixels at the requested zoom;
one SQL query counts the matching reports per cell (GROUP BY one integer cell key computed in SQL from
lat/lon), with the centroid. It reads only columns of `report_map_idx` (visibility, is_open, lat, lon), so
the database answers it from the index alone (not even the row id, which PostgreSQL's index lacks).

The grid is anchored at lat/lon 0,0 (not at the viewport), so a cluster does not jump when the map is
panned and neighbouring requests produce the same cells. Cells holding one report, and whole viewports
holding few reports, come back as single points (id, category, state, position: no personal data).
"""

import math
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import CombinedExpression, F
from django.urls import reverse

from stadtdigital.reports.models import Report
from stadtdigital.reports.selectors.opendata import category_names

CELL_PX = 80  # cluster cell size in screen pixels
TILE_PX = 256
MIN_ZOOM, MAX_ZOOM = 0, 22
FEW_POINTS = 200  # a viewport with at most this many reports shows them all as points
POINTS_ZOOM = 18  # from this zoom on, points (up to MAX_POINTS) rather than clusters
MAX_POINTS = 1000
SINGLES_PER_QUERY = 100  # one-report cells looked up per query (SQLite limits expression depth)
MAX_CELLS = 16384  # per side of the viewport grid; larger viewports for the zoom are refused


class MapQueryError(ValueError):
    """A bad bbox or zoom; the message is safe to show to the client."""


@dataclass(frozen=True)
class BBox:
    south: float
    west: float
    north: float
    east: float


def parse_bbox(text: str | None) -> BBox:
    if not text:
        raise MapQueryError("bbox fehlt (south,west,north,east)")
    parts = text.split(",")
    if len(parts) != 4:
        raise MapQueryError("bbox braucht vier Zahlen: south,west,north,east")
    try:
        south, west, north, east = (float(part) for part in parts)
    except ValueError:
        raise MapQueryError("bbox enthält etwas anderes als Zahlen") from None
    if not all(math.isfinite(value) for value in (south, west, north, east)):
        raise MapQueryError("bbox enthält ungültige Zahlen")
    if not (-90 <= south < north <= 90) or not (-180 <= west < east <= 180):
        raise MapQueryError("bbox außerhalb von -90..90 / -180..180 oder south >= north / west >= east")
    return BBox(south, west, north, east)


def parse_zoom(text: str | None) -> int:
    try:
        zoom = int(text or "")
    except ValueError:
        raise MapQueryError(f"zoom muss eine ganze Zahl von {MIN_ZOOM} bis {MAX_ZOOM} sein") from None
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise MapQueryError(f"zoom muss eine ganze Zahl von {MIN_ZOOM} bis {MAX_ZOOM} sein")
    return zoom


def cell_size(zoom: int, latitude: float) -> tuple[float, float]:
    """(height, width) of a grid cell in degrees: CELL_PX pixels of Web Mercator at this zoom and latitude."""
    width = CELL_PX * 360.0 / (TILE_PX * 2**zoom)
    height = width * max(math.cos(math.radians(latitude)), 0.01)
    return height, width


class FloorInt(Func):
    """floor(expression) as an integer, in plain SQL on SQLite and PostgreSQL (no Python functions).

    CAST(x AS INTEGER) truncates toward zero on SQLite and rounds on PostgreSQL, so neither alone is floor.
    With `non_negative=True` the caller guarantees x >= 0, and SQLite gets the cheaper plain CAST.
    """

    output_field = IntegerField()

    def __init__(self, expression, non_negative=False, **extra):
        super().__init__(expression, **extra)
        self.non_negative = non_negative

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(FLOOR({sql}) AS INTEGER)", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.non_negative:
            return f"CAST({sql} AS INTEGER)", params
        # truncate, then step down by one where truncation went up (negative non-integers)
        return (
            f"(CAST({sql} AS INTEGER) - (({sql}) < CAST({sql} AS INTEGER)))",
            [*params, *params, *params],
        )


def _grid_index(field: str, origin: float, size: float) -> FloorInt:
    """Index of the grid cell of `field`, counted from `origin` (a cell boundary at or below every value)."""
    offset = CombinedExpression(F(field), "-", Value(origin, output_field=FloatField()), FloatField())
    return FloorInt(
        CombinedExpression(offset, "/", Value(size, output_field=FloatField()), FloatField()),
        non_negative=True,
    )


def in_bbox(queryset: QuerySet[Report], bbox: BBox) -> QuerySet[Report]:
    queryset = queryset.filter(
        lat__gte=bbox.south, lat__lte=bbox.north, lon__gte=bbox.west, lon__lte=bbox.east
    )
    # The map index starts with (visibility, is_open): without a status filter, say "either" explicitly, so
    # the database can still range-scan lat within both is_open values instead of reading the whole table.
    if not _filters_on(queryset.query.where, "is_open"):
        queryset = queryset.filter(is_open__in=[True, False])
    return queryset


def _filters_on(node, column: str) -> bool:
    for child in getattr(node, "children", ()):
        target = getattr(getattr(child, "lhs", None), "target", None)
        if getattr(target, "column", None) == column or _filters_on(child, column):
            return True
    return False


def _points(queryset: QuerySet[Report], limit: int) -> list[dict]:
    categories = category_names()
    url_pattern = reverse("reports:detail", kwargs={"pk": 987654321})
    labels = dict(Report._meta.get_field("state").choices)
    features = []
    for pk, category_id, state, lat, lon in queryset.order_by().values_list(
        "id", "category_id", "state", "lat", "lon"
    )[:limit]:
        code, name = categories.get(category_id, ("", ""))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {
                    "id": pk,
                    "category": code,
                    "category_name": str(name),
                    "state": state,
                    "state_name": str(labels.get(state, state)),
                    "url": url_pattern.replace("987654321", str(pk)),
                },
            }
        )
    features.sort(key=lambda feature: feature["properties"]["id"])
    return features


def map_features(queryset: QuerySet[Report], bbox: BBox, zoom: int) -> dict:
    """GeoJSON FeatureCollection of clusters and points of `queryset` (already filtered) within `bbox`."""
    in_view = in_bbox(queryset.order_by(), bbox)
    height, width = cell_size(zoom, (bbox.south + bbox.north) / 2)
    # Cells are anchored at 0,0 (stable while panning); counted from the first cell boundary below the bbox,
    # so every index is >= 0 and a plain CAST is floor. Only what a marker needs is aggregated: the
    # count, the centroid and the smallest id (the report itself when the cell holds one).
    row0, col0 = math.floor(bbox.south / height), math.floor(bbox.west / width)
    if (bbox.north - bbox.south) / height >= MAX_CELLS - 1 or (
        bbox.east - bbox.west
    ) / width >= MAX_CELLS - 1:
        raise MapQueryError("bbox zu groß für diese Zoomstufe")
    # One integer key per cell (row * MAX_CELLS + column): grouping on one column is about a quarter faster
    # on SQLite than on two.
    cell_key = ExpressionWrapper(
        _grid_index("lat", row0 * height, height) * Value(MAX_CELLS)
        + _grid_index("lon", col0 * width, width),
        output_field=IntegerField(),
    )
    cells = list(
        in_view.annotate(cell=cell_key)
        .values("cell")
        .annotate(n=Count("*"), avg_lat=Avg("lat"), avg_lon=Avg("lon"))
        .order_by()
    )
    for cell in cells:
        cell["cell_y"], cell["cell_x"] = divmod(cell["cell"], MAX_CELLS)
    total = sum(cell["n"] for cell in cells)
    result = {"type": "FeatureCollection", "zoom": zoom, "total": total, "clustered": False, "features": []}
    if total <= FEW_POINTS or (zoom >= POINTS_ZOOM and total <= MAX_POINTS):
        result["features"] = _points(in_view, MAX_POINTS)
        return result
    result["clustered"] = True
    # A cell with one report: its average position is that report's exact position, so the report is found
    # by an index lookup (lat, lon) instead of aggregating its id, which PostgreSQL's index does not hold
    # (asking for it turns the index-only scan into reading ~20,000 table pages).
    # Looked up in chunks: SQLite refuses an expression tree deeper than 1000 (a long chain of ORs).
    positions = [(cell["avg_lat"], cell["avg_lon"]) for cell in cells if cell["n"] == 1][:MAX_POINTS]
    features = []
    for start in range(0, len(positions), SINGLES_PER_QUERY):
        singles = Q()
        for lat, lon in positions[start : start + SINGLES_PER_QUERY]:
            singles |= Q(lat=lat, lon=lon)
        features += _points(in_view.filter(singles), MAX_POINTS - len(features))
    features.sort(key=lambda feature: feature["properties"]["id"])
    cells.sort(key=lambda cell: (cell["cell_y"], cell["cell_x"]))
    for cell in cells:
        if cell["n"] == 1:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(cell["avg_lon"], 6), round(cell["avg_lat"], 6)],
                },
                "properties": {
                    "cluster": True,
                    "count": cell["n"],
                    # the cell's extent, to zoom into
                    "bbox": [
                        round((row0 + cell["cell_y"]) * height, 6),
                        round((col0 + cell["cell_x"]) * width, 6),
                        round((row0 + cell["cell_y"] + 1) * height, 6),
                        round((col0 + cell["cell_x"] + 1) * width, 6),
                    ],
                },
            }
        )
    result["features"] = features
    return result
