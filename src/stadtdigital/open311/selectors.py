"""Reads for the Open311 API, on top of the reports app's public selectors.

Every request list starts from `reports.selectors.public.public_reports()` (public reports only, never a
personal column) and only adds what Open311 needs: a few public columns, the latest public text of the city
(status_notes) and the first public photo, each as a correlated subquery in the same SQL query, so a page
of 1000 requests is one query. Extensions (all photos, public status history) are one query each per page.
"""

import datetime
import functools
import math
from collections import defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField, Exists, F, FloatField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import CombinedExpression, Value

from stadtdigital.core.caching import Version
from stadtdigital.core.db import CompiledValues, EpochSeconds, IdList, Unindexed, values_dicts
from stadtdigital.core.fulltext import query_stems
from stadtdigital.open311 import tokens
from stadtdigital.reports import search_index
from stadtdigital.reports.models import (
    CITY_TEXT_KINDS,
    Category,
    CategoryQuestion,
    Event,
    EventKind,
    Report,
    State,
    Visibility,
)
from stadtdigital.reports.selectors import clusters, nearby, versions
from stadtdigital.reports.selectors.public import public_photos_queryset, public_reports

REQUEST_COLUMNS = (
    "id",
    "state",
    "is_open",
    "description",
    "category__code",
    "category__name",
    "category__notice",
    "department__name",
    "address",
    "lat",
    "lon",
    "supporters_count",
)
# Read as whole seconds since 1970 (see core.db.EpochSeconds): a third of the time of a 1000-row page.
REQUEST_TIMES = {
    "requested_s": EpochSeconds("created_at"),
    "updated_s": EpochSeconds("updated_at"),
    "expected_s": EpochSeconds("due_at"),
}


# --- services ------------------------------------------------------------------------------------------


def services() -> list[Category]:
    """Active categories with their group and whether they have extra questions (Open311 `metadata`)."""
    return list(
        Category.objects.filter(is_active=True)
        .select_related("group")
        .annotate(
            has_questions=Exists(CategoryQuestion.objects.filter(category=OuterRef("pk"))),
            has_required_question=Exists(
                CategoryQuestion.objects.filter(category=OuterRef("pk"), required=True)
            ),
        )
        .only("code", "name", "description", "keywords", "group__name")
    )


def services_changed_at() -> datetime.datetime | None:
    """The latest change of any category or question (discovery's `changeset`); None without categories."""
    category = Category.objects.aggregate(latest=Max("updated_at"))["latest"]
    question = CategoryQuestion.objects.aggregate(latest=Max("updated_at"))["latest"]
    return max((value for value in (category, question) if value is not None), default=None)


def service_definition(code: str) -> tuple[Category, list[CategoryQuestion]] | None:
    category = Category.objects.filter(is_active=True, code=code).only("id", "code").first()
    if category is None:
        return None
    return category, list(category.questions.order_by("position", "id"))


# --- requests ------------------------------------------------------------------------------------------


def requests_queryset() -> QuerySet[Report]:
    """Public reports, newest first (filters are applied to this, then `request_rows` reads a page)."""
    return public_reports()


# A report id no real report has; marks the id's place among the compiled query's parameters.
_ID_SENTINEL = 7_318_004_659_202_317_011


def _latest_texts(ids: IdList):
    return (
        Event.objects.filter(report_id__in=ids, is_public=True, kind__in=CITY_TEXT_KINDS)
        .exclude(public_text="")
        .order_by("report_id", "created_at", "id")
        .values("report_id", "public_text")
    )


def _first_photos(ids: IdList):
    return (
        public_photos_queryset()
        .filter(report_id__in=ids)
        .order_by("report_id", "-position", "-id")
        .values("report_id", "id")
    )


@functools.cache
def _page_extras_sql(vendor: str) -> tuple[CompiledValues, CompiledValues]:
    """The look-ups of a page's latest texts and first photos, compiled once per process (their SQL does
    not change; only the page's ids do)."""
    sentinel = IdList.parameter([_ID_SENTINEL], vendor)
    placeholder = IdList([_ID_SENTINEL])
    return (
        CompiledValues.of(_latest_texts(placeholder), sentinel),
        CompiledValues.of(_first_photos(placeholder), sentinel),
    )


def request_rows(queryset: QuerySet[Report]) -> list[dict]:
    """The Open311 columns of (a slice of) `queryset` as dicts: three queries whatever the number of rows
    (the page, the city's latest public texts, the first public photos). Two `IN` look-ups by report id
    are about twice as fast as correlated subqueries, which sort per row; the ids go in as one parameter
    (core.db.IdList), not as a subquery repeating the page query, which can be the expensive part. Rows
    are read straight from the cursor (core.db.values_dicts): Django's per-value converters cost a tenth of
    a 1000-row page."""
    rows = values_dicts(queryset.values(*REQUEST_COLUMNS, **REQUEST_TIMES))
    if not rows:
        return rows
    ids = IdList.parameter([row["id"] for row in rows], connection.vendor)
    latest_texts, first_photos = _page_extras_sql(connection.vendor)
    notes = {note["report_id"]: note["public_text"] for note in latest_texts.dicts(ids)}  # the latest wins
    photos = {}
    for photo in first_photos.dicts(ids):
        photos[photo["report_id"]] = photo["id"]  # the first in order wins (rows come last to first)
    for row in rows:
        row["is_open"] = bool(row["is_open"])  # SQLite answers 0/1
        row["status_notes"] = notes.get(row["id"])
        row["first_photo_id"] = photos.get(row["id"])
    return rows


def _request_row_queryset(report_id: int) -> QuerySet[Report]:
    latest_text = (
        Event.objects.filter(report_id=OuterRef("pk"), is_public=True, kind__in=CITY_TEXT_KINDS)
        .exclude(public_text="")
        .order_by("-created_at", "-id")
        .values("public_text")[:1]
    )
    first_photo = public_photos_queryset().filter(report_id=OuterRef("pk")).order_by("position", "id")
    return (
        requests_queryset()
        .filter(pk=report_id)
        .values(
            *REQUEST_COLUMNS,
            **REQUEST_TIMES,
            status_notes=Subquery(latest_text),
            first_photo_id=Subquery(first_photo.values("id")[:1]),
            # What the response's version (ETag, Last-Modified) depends on: read with the row, so a
            # request that is answered in full needs one round trip (see views.read.request_row_of).
            version_updated_at=F("updated_at"),
            version_category_at=F("category__updated_at"),
            version_question_at=versions.latest_question_change(),
        )[:1]
    )


@functools.cache
def _request_row_sql(vendor: str) -> CompiledValues:
    """The single request's SQL, compiled once per process: building it with the ORM cost more than
    running it (decision 0025)."""
    return CompiledValues.of(_request_row_queryset(_ID_SENTINEL), _ID_SENTINEL)


def request_version(row: dict) -> Version:
    """The version of a single request's responses, from the times `request_row` reads with it."""
    return versions.report_version(
        row["version_updated_at"], row["version_category_at"], row["version_question_at"]
    )


def request_row(report_id: int) -> dict | None:
    """One public request as `request_rows` reads it, in ONE query: for a single row, the city's latest
    text and the first photo cost less as subqueries than as extra round trips (2 ms target)."""
    found = _request_row_sql(connection.vendor).dicts(report_id)
    if not found:
        return None
    row = found[0]
    row["is_open"] = bool(row["is_open"])  # SQLite answers 0/1
    return row


def by_ids(queryset: QuerySet[Report], ids: list[int]) -> QuerySet[Report]:
    return queryset.filter(pk__in=ids)


def by_service_codes(queryset: QuerySet[Report], codes: list[str]) -> QuerySet[Report]:
    """Not a join on categories: one code is `category_id = (SELECT id … WHERE code = …)`, an equality
    SQLite uses in `report_public_category_idx` (visibility, category, created_at, is_open) to walk the
    category newest first; several codes are `category_id IN (SELECT …)`. Either way still one query."""
    categories = Category.objects.filter(code__in=codes).values("pk")
    if len(codes) == 1:
        return queryset.filter(category_id=Subquery(categories[:1]))
    return queryset.filter(category_id__in=categories)


def by_status(queryset: QuerySet[Report], statuses: set[str]) -> QuerySet[Report]:
    """`open`/`closed` (Open311) and detailed state codes (extension); several are OR-ed."""
    open_values = {status == "open" for status in statuses & {"open", "closed"}}
    states = statuses - {"open", "closed"}
    if not states:
        if len(open_values) == 2:
            return queryset
        # `is_open__in` (not `is_open=`) so SQLite can use it as an index equality (see reports.filters).
        return queryset.filter(is_open__in=list(open_values))
    condition = Q(state__in=states)
    if open_values:
        condition |= Q(is_open__in=list(open_values))
    return queryset.filter(condition)


# Below this share of the city's area, a box is read through the map index (by area) rather than through
# the period index (newest first until the page is full). Measured on a million reports (decision 0011):
# a street (0.1 %) 9 ms by area vs 210 ms by period; a district (6 %) 58 ms vs 4 ms.
AREA_FIRST_MAX_SHARE = 0.03


def reads_area_first(box: clusters.BBox) -> bool:
    city_south, city_west, city_north, city_east = settings.CITY_BOUNDS
    city_area = (city_north - city_south) * (city_east - city_west)
    area = max(box.north - box.south, 0) * max(box.east - box.west, 0)
    return city_area <= 0 or area < AREA_FIRST_MAX_SHARE * city_area


def by_requested(
    queryset, start: datetime.datetime | None, end: datetime.datetime | None, *, within_area: bool = False
):
    """Requests of a period, newest first; `within_area` when a small area filter (see reads_area_first)
    follows, so SQLite reads the area's index instead of the period's."""
    column = "created_at"
    if within_area:
        # Without statistics SQLite would always walk the period index and test every report of the period
        # against the box (210 ms for a street on a million reports); kept off it, it scans the map index,
        # which covers created_at, by area and sorts the hits (9 ms).
        queryset = queryset.alias(
            requested_unindexed=Unindexed("created_at", output_field=DateTimeField())
        ).order_by("-requested_unindexed", "-id")
        column = "requested_unindexed"
    if start is not None:
        queryset = queryset.filter(**{f"{column}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{column}__lte": end})
    return queryset


def by_updated(queryset, after: datetime.datetime | None, before: datetime.datetime | None):
    if after is not None:
        queryset = queryset.filter(updated_at__gt=after)
    if before is not None:
        queryset = queryset.filter(updated_at__lt=before)
    return queryset


def in_bbox(queryset: QuerySet[Report], bbox: clusters.BBox) -> QuerySet[Report]:
    return clusters.in_bbox(queryset, bbox)


def radius_box(lat: float, lon: float, radius_m: float) -> clusters.BBox:
    south, west, north, east = nearby.bounding_box(lat, lon, radius_m)
    return clusters.BBox(max(south, -90), max(west, -180), min(north, 90), min(east, 180))


def within_radius(queryset: QuerySet[Report], lat: float, lon: float, radius_m: float) -> QuerySet[Report]:
    """Reports within `radius_m` metres of the point: the bounding box (index range), then the circle.

    The circle uses an equirectangular distance in plain SQL arithmetic (no trigonometry, which SQLite may
    lack); within a city's radii it differs from the great-circle distance by far less than a metre.
    """
    queryset = clusters.in_bbox(queryset, radius_box(lat, lon, radius_m))
    scale_lat = nearby.METRES_PER_DEGREE_LAT
    scale_lon = nearby.METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.0)

    def metres(field, origin, scale):
        offset = CombinedExpression(F(field), "-", Value(origin, output_field=FloatField()), FloatField())
        return CombinedExpression(offset, "*", Value(scale, output_field=FloatField()), FloatField())

    dy, dx = metres("lat", lat, scale_lat), metres("lon", lon, scale_lon)
    distance2 = CombinedExpression(
        CombinedExpression(dy, "*", dy, FloatField()),
        "+",
        CombinedExpression(dx, "*", dx, FloatField()),
        FloatField(),
    )
    return queryset.alias(open311_distance2=distance2).filter(open311_distance2__lte=radius_m * radius_m)


def by_text(queryset: QuerySet[Report], text: str) -> QuerySet[Report]:
    """The public list's text search (description and address, every word, German stems; decision 0025).
    Requests always read a bounded period: on SQLite no look-ups before the page query (one query)."""
    if not query_stems(text):
        return queryset
    return queryset.filter(search_index.matching(text, lookups=False))


def photo_ids(report_ids: list[int]) -> dict[int, list[int]]:
    """Ids of the public (READY, not hidden) photos of each report, in their order; one query."""
    result = defaultdict(list)
    rows = (
        public_photos_queryset()
        .filter(report_id__in=IdList(report_ids))
        .order_by("report_id", "position", "id")
        .values_list("report_id", "id")
    )
    for report_id, photo_id in rows:
        result[report_id].append(photo_id)
    return result


def status_history(report_ids: list[int]) -> dict[int, list[dict]]:
    """Public state changes of each report (date, state, public text); never who, never internal notes."""
    result = defaultdict(list)
    rows = (
        Event.objects.filter(report_id__in=IdList(report_ids), is_public=True)
        .exclude(to_state="")
        .order_by("report_id", "created_at", "id")
        .values("report_id", "created_at", "to_state", "public_text", "kind")
    )
    for row in rows:
        if row["kind"] not in (*CITY_TEXT_KINDS, EventKind.CREATED, EventKind.CONFIRMED):
            row["public_text"] = ""
        result[row["report_id"]].append(row)
    return result


# --- service request updates (FixMyStreet's extension) --------------------------------------------------


def request_updates(start: datetime.datetime, end: datetime.datetime) -> QuerySet[Event]:
    """Public updates of the city (state changes, answers) on public reports, oldest first, as dicts with
    the report's state right after the update (`state_then`)."""
    state_then = (
        Event.objects.filter(report=OuterRef("report_id"), created_at__lte=OuterRef("created_at"))
        .exclude(to_state="")
        .order_by("-created_at", "-id")
        .values("to_state")[:1]
    )
    return (
        Event.objects.filter(
            is_public=True,
            kind__in=CITY_TEXT_KINDS,
            created_at__gte=start,
            created_at__lte=end,
        )
        # EXISTS per event (not `report IN (all public reports)`) so the database walks the events' time
        # index and checks each event's report, instead of listing a million public reports first.
        .filter(Exists(public_reports().order_by().filter(pk=OuterRef("report_id")).values("pk")))
        .annotate(state_then=Subquery(state_then))
        .order_by("created_at", "id")
        .values("id", "report_id", "created_at", "public_text", "to_state", "state_then")
    )


# --- tokens --------------------------------------------------------------------------------------------


def token_status(token: str) -> tuple[bool, int | None]:
    """(exists, public report id or None) for an Open311 token; the id only once the report is public."""
    report_id = tokens.report_id_from(token)
    visibility = (
        Report.objects.filter(pk=report_id).values_list("visibility", flat=True).first()
        if report_id is not None
        else None
    )
    if visibility is None:  # not ours, or the report was never confirmed and has been deleted
        return False, None
    return True, report_id if visibility == Visibility.PUBLIC else None


def state_label(state: str) -> str:
    try:
        return str(State(state).label)
    except ValueError:
        return state
