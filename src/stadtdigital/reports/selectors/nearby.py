"""'Schon gemeldet?': open public reports of the same category near a point, before a duplicate is filed.

Fast with a million stored reports: the query only touches the index `report_nearby_idx`
(category, is_open, lat) for a narrow latitude band, filters longitude and age on those few rows, and the
exact (haversine) distance is computed in Python for the handful of candidates.
"""

import datetime
import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext

from stadtdigital.reports.geocoding import distance_m
from stadtdigital.reports.models import Category, Photo, PhotoStatus, Report, Visibility

METRES_PER_DEGREE_LAT = 111_320.0


FIELDS = (
    "id",
    "category_id",
    "state",
    "description",
    "address",
    "lat",
    "lon",
    "created_at",
    "supporters_count",
)


def _sqlite_candidates(category_id, south, west, north, east, since):
    """SQLite's planner prefers the map index (visibility, is_open, lat, lon) with a skip-scan, which reads
    every category's rows in the latitude band (~250 ms at 1M reports); INDEXED BY pins the nearby index."""
    table = Report._meta.db_table
    columns = ", ".join(connection.ops.quote_name(Report._meta.get_field(name).column) for name in FIELDS)
    sql = (
        f"SELECT {columns} FROM {table} INDEXED BY report_nearby_idx "  # noqa: S608 - names from the model
        "WHERE category_id = %s AND is_open = %s AND lat >= %s AND lat <= %s AND lon >= %s AND lon <= %s "
        "AND created_at >= %s AND visibility = %s"
    )
    params = [
        category_id,
        True,
        south,
        north,
        west,
        east,
        connection.ops.adapt_datetimefield_value(since),
        Visibility.PUBLIC.value,
    ]
    return Report.objects.raw(sql, params)


@dataclass(frozen=True)
class NearbyReport:
    report: Report
    distance_m: float

    @property
    def thumbnail(self) -> Photo | None:
        photos = getattr(self.report, "ready_photos", None)
        return photos[0] if photos else None

    @property
    def distance_text(self) -> str:
        """'am selben Ort', 'weniger als 10 m entfernt', 'ca. 40 m entfernt' (never 'ca. 0 m')."""
        return distance_text(self.distance_m)


def distance_text(metres: float) -> str:
    if metres < 3:
        return gettext("am selben Ort")
    if metres < 10:
        return gettext("weniger als 10 m entfernt")
    step = 10 if metres < 100 else 50
    return gettext("ca. %(distance)s m entfernt") % {"distance": int(round(metres / step) * step)}


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a box that contains the circle around the point."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlon = radius_m / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def nearby_open_reports(
    category: Category | int,
    lat: float,
    lon: float,
    *,
    radius_m: float | None = None,
    days: int = 90,
    limit: int = 10,
    with_photos: bool = True,
) -> list[NearbyReport]:
    """Public open reports of `category` within its duplicate radius (or `radius_m`) from the last `days`
    days, nearest first, each with its distance in metres."""
    if radius_m is None:
        if not isinstance(category, Category):
            category = Category.objects.only("duplicate_radius_m").get(pk=category)
        radius_m = category.duplicate_radius_m
    category_id = category.pk if isinstance(category, Category) else category
    south, west, north, east = bounding_box(lat, lon, radius_m)
    since = timezone.now() - datetime.timedelta(days=days)
    if connection.vendor == "sqlite":
        queryset = _sqlite_candidates(category_id, south, west, north, east, since)
    else:
        queryset = (
            Report.objects.filter(
                category_id=category_id,
                is_open=True,
                lat__gte=south,
                lat__lte=north,
                lon__gte=west,
                lon__lte=east,
                created_at__gte=since,
                visibility=Visibility.PUBLIC,
            )
            .order_by()
            .only(*FIELDS)
        )
    candidates = []
    for report in queryset:
        distance = distance_m(lat, lon, report.lat, report.lon)
        if distance <= radius_m:
            candidates.append(NearbyReport(report, distance))
    candidates.sort(key=lambda item: (item.distance_m, -item.report.pk))
    candidates = candidates[:limit]
    if with_photos and candidates:
        reports = [item.report for item in candidates]
        ready = Photo.objects.filter(status=PhotoStatus.READY, hidden=False).only(
            "id", "report_id", "thumbnail", "image", "position"
        )
        prefetch_related_objects(reports, Prefetch("photos", queryset=ready, to_attr="ready_photos"))
    return candidates
