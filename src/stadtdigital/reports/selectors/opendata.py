"""Row sources of the open data downloads of citizens' reports (`reports/opendata/reports.py` and
`report_statistics.py`).

Privacy: public reports only (visibility PUBLIC; never waiting for confirmation, never hidden), and only the
columns listed in REPORT_COLUMNS: no name, email, phone, internal note, device or account id, assignee.
Texts of the city are those of public state changes and answers (as in Open311's status_notes), never the
reporter's feedback or an internal note; photos are READY and not hidden.

Built for exports of millions of rows in constant memory:
- keyset batches by id (`id > last ORDER BY id LIMIT n`): every query is a primary key range, memory is one
  batch, and no query holds a cursor open while the client downloads;
- the texts and photos of a batch are one query each, by the batch's id range (by its ids when the batch is
  sparse, as within a period);
- datetimes come as UTC text whose first 19 characters are `YYYY-MM-DD HH:MM:SS` (see UtcText): Django's
  per-value datetime parsing would cost more on SQLite than everything else of a row;
  `opendata.writers.LocalTimes` turns the text into local ISO 8601.
- SQLite plans without statistics; where its choice of index was measured to be slow, the column is kept
  out of the index (`core.db.Unindexed`), which changes nothing on PostgreSQL.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Func,
    IntegerField,
    Max,
    Min,
    QuerySet,
    Value,
    When,
)

from stadtdigital.core.db import Unindexed
from stadtdigital.core.models import Department
from stadtdigital.reports.models import (
    CITY_TEXT_KINDS,
    Category,
    CategoryQuestion,
    Event,
    Photo,
    PhotoStatus,
    Report,
    Visibility,
)

BATCH_SIZE = 5000


# (id, category_id, department_id, state, received, last change, closed, lat, lon, address, description,
# supporters) - received/last change/closed as UTC text, closed None while open.
REPORT_COLUMNS = (
    "id",
    "category_id",
    "department_id",
    "state",
    "received_utc",
    "updated_utc",
    "closed_utc",
    "lat",
    "lon",
    "address",
    "description",
    "supporters_count",
)
# The columns of reports_report behind REPORT_COLUMNS, and the visibility that selects the rows: a change of
# one of them changes the download (reports/opendata/rendered_blocks.py watches exactly these).
REPORT_SOURCE_FIELDS = (
    "id",
    "visibility",
    "category_id",
    "department_id",
    "state",
    "created_at",
    "updated_at",
    "closed_at",
    "lat",
    "lon",
    "address",
    "description",
    "supporters_count",
)


class UtcText(Func):
    """A datetime column as UTC text whose first 19 characters are `YYYY-MM-DD HH:MM:SS` (what follows, if
    anything, are fractions of a second); NULL stays NULL."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC already. The unary `+` (a no-op) drops the
        # column's declared type, so sqlite3 does not parse it with Django's datetime converter; cutting it
        # with substr() would cost 0.15 µs per value more than slicing it where it is used.
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # Text of the UTC timestamp, whatever the session's time zone: `2024-05-01 08:00:00.25`. Cheaper
        # than to_char(): 0.75 µs less per row of three datetimes (server and export on the same cores).
        template = "(%(expressions)s AT TIME ZONE 'UTC')::text"
        return super().as_sql(compiler, connection, template=template, **extra_context)


class WholeSecondsBetween(Func):
    """Whole seconds from the first datetime to the second, each cut to its whole second first (what the
    files show): `2024-05-01 08:00:00.9` to `2024-05-01 08:00:01.1` is one second. Computed by the database
    from the index entry, rather than by parsing both texts in Python (two thirds of the time a live month
    of the monthly statistics took)."""

    arity = 2
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        first, second = (compiler.compile(expression) for expression in self.source_expressions)
        # strftime('%s') is whole seconds since the epoch, fractions cut; '%%' survives Django's parameter
        # substitution as '%'.
        epoch = "CAST(strftime('%%s', {}) AS INTEGER)"
        sql = f"({epoch.format(second[0])} - {epoch.format(first[0])})"
        return sql, (*first[1], *second[1])

    def as_postgresql(self, compiler, connection, **extra_context):
        first, second = (compiler.compile(expression) for expression in self.source_expressions)
        sql = (
            f"(EXTRACT(EPOCH FROM date_trunc('second', {second[0]}))::bigint"
            f" - EXTRACT(EPOCH FROM date_trunc('second', {first[0]}))::bigint)"
        )
        return sql, (*first[1], *second[1])


@dataclass(frozen=True)
class ReportBatch:
    rows: list[tuple]  # REPORT_COLUMNS
    texts: dict[
        int, tuple[tuple[int, str, int, str], ...]
    ]  # report id -> (report id, UTC text, event id, text) oldest first
    photos: dict[int, list[int]]  # report id -> public photo ids in their order


def _public(start: datetime.datetime | None, end: datetime.datetime | None) -> QuerySet[Report]:
    reports = Report.objects.filter(visibility=Visibility.PUBLIC)
    if start is not None:
        reports = reports.filter(created_at__gte=start)
    if end is not None:
        reports = reports.filter(created_at__lt=end)
    return reports


def category_names() -> dict[int, tuple[str, str]]:
    """Category id -> (code, name), for all categories (a report keeps an inactive category)."""
    return {pk: (code, name) for pk, code, name in Category.objects.values_list("pk", "code", "name")}


def public_question_definitions() -> list[tuple]:
    """What the file shows of the questions the city publishes answers to (id, code, question, type,
    choices, position), in id order."""
    return list(
        CategoryQuestion.objects.filter(is_public=True)
        .order_by("pk")
        .values_list("pk", "code", "label", "datatype", "choices", "position")
    )


def department_names() -> dict[int, str]:
    return dict(Department.objects.values_list("pk", "name"))


def public_report_batches(
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    *,
    batch_size: int = 0,
    ids: tuple[int, int] | None = None,
) -> Iterator[ReportBatch]:
    """Public reports received in [start, end) in batches, ascending by id, each with its texts and photos;
    with `ids` (first, end) only those whose id is in [first, end)."""
    batch_size = batch_size or BATCH_SIZE
    # Without statistics SQLite takes the (visibility, created_at) index for `visibility = 'public'` and
    # sorts all public reports again for every batch (0.25 s per batch of 5,000 at a million reports).
    # Kept out of the index, a batch is a range of the primary key.
    reports = _unindexed_public().alias(
        created_unindexed=Unindexed("created_at", output_field=DateTimeField())
    )
    if start is not None or end is not None:
        # The period bounds the ids (one pass over the index range); each batch then tests the period
        # row by row within that id range.
        bounds = _public(start, end).aggregate(first=Min("id"), last=Max("id"))
        if bounds["first"] is None:
            return
        reports = reports.filter(id__gte=bounds["first"], id__lte=bounds["last"])
        if start is not None:
            reports = reports.filter(created_unindexed__gte=start)
        if end is not None:
            reports = reports.filter(created_unindexed__lt=end)
    if ids is not None:
        reports = reports.filter(id__gte=ids[0], id__lt=ids[1])
    reports = (
        reports.annotate(
            received_utc=UtcText("created_at"),
            updated_utc=UtcText("updated_at"),
            closed_utc=UtcText("closed_at"),
        )
        .order_by("id")
        .values_list(*REPORT_COLUMNS)
    )
    last = 0
    while True:
        rows = _fetch(reports.filter(id__gt=last)[:batch_size])
        if not rows:
            return
        first, last = rows[0][0], rows[-1][0]
        if last - first < 2 * len(rows):
            reports_of_batch = {"report_id__gte": first, "report_id__lte": last}
        else:
            # A sparse batch (a period's reports among many others): the range would bring the texts of
            # every report in between, so memory would grow with the gaps; by id instead (0.4 µs per
            # report slower than the range on a dense batch).
            reports_of_batch = {"report_id__in": [row[0] for row in rows]}
        yield ReportBatch(rows, _texts(reports_of_batch), _photos(reports_of_batch))
        if len(rows) < batch_size:
            return


def _fetch(queryset: QuerySet) -> list[tuple]:
    """The rows of a `values_list` query straight from the cursor. Only for columns that need no conversion
    (numbers, text): Django's row iteration would add half a microsecond per row for nothing."""
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _texts(reports_of_batch: dict) -> dict[int, tuple[tuple[int, str, int, str], ...]]:
    """Public texts of the city on the batch's reports (a range or a list of ids), oldest first, as rows
    (report id, UTC text, event id, text); the caller keeps only its own (public) reports, so texts of
    hidden reports in a range are read but never written."""
    rows = (
        # The kind is tested row by row: given `kind IN (...)` as an index term, SQLite reads every public
        # state change and answer of all reports through event_public_kind_idx (kind, created_at) for each
        # batch (0.8 s per batch at a million reports) instead of the batch's range of report ids.
        Event.objects.alias(kind_unindexed=Unindexed("kind", output_field=CharField()))
        .filter(**reports_of_batch, is_public=True, kind_unindexed__in=CITY_TEXT_KINDS)
        .exclude(public_text="")
        # No ORDER BY: sorting in SQL costs a fifth of the query; the few reports with several texts are
        # sorted below.
        .order_by()
        .annotate(at_utc=UtcText("created_at"))
        .values_list("report_id", "at_utc", "id", "public_text")
    )
    result = {}
    several = []
    for row in _fetch(rows):
        report_id = row[0]
        if report_id in result:
            result[report_id] += (row,)
            several.append(report_id)
        else:
            result[report_id] = (row,)
    for report_id in several:
        # By the second, then the id: the same order on SQLite (microseconds) and PostgreSQL (seconds).
        result[report_id] = tuple(sorted(result[report_id], key=lambda row: (row[1][:19], row[2])))
    return result


def _photos(reports_of_batch: dict) -> dict[int, list[int]]:
    result = defaultdict(list)
    rows = (
        Photo.objects.filter(**reports_of_batch, status=PhotoStatus.READY, hidden=False)
        .order_by("report_id", "position", "id")
        .values_list("report_id", "id")
    )
    for report_id, photo_id in rows:
        result[report_id].append(photo_id)
    return result


def public_id_bounds() -> tuple[int, int] | None:
    """The lowest and the highest id of a public report: a walk of the primary key from either end to the
    first public report (the visibility kept out of the index, so SQLite does not read the public reports
    through report_public_created_idx and sort them)."""
    ids = _unindexed_public().values_list("id", flat=True)
    first = ids.order_by("id").first()
    if first is None:
        return None
    return first, ids.order_by("-id").first()


def public_report_count(start: datetime.datetime | None = None, end: datetime.datetime | None = None) -> int:
    return _public(start, end).count()


def last_change() -> datetime.datetime | None:
    """When the public reports last changed. Hidden reports count too: hiding one changes the download (its
    row disappears) and stamps `updated_at` on the then hidden report."""
    return (
        Report.objects.exclude(visibility=Visibility.PENDING_CONFIRMATION)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )


def received_range() -> tuple[datetime.datetime, datetime.datetime] | None:
    """When the first and the last public report were received."""
    reports = _public(None, None).values_list("created_at", flat=True)
    first = reports.order_by("created_at").first()
    if first is None:
        return None
    return first, reports.order_by("-created_at").first()


def last_public_change() -> datetime.datetime | None:
    """The latest `updated_at` of a public report: no public report was closed later (closing stamps it)."""
    return (
        _unindexed_public()
        .order_by("-updated_at")  # walks report_updated_idx from the end
        .values_list("updated_at", flat=True)
        .first()
    )


# --- monthly statistics ---------------------------------------------------------------------------------


def _unindexed_public() -> QuerySet[Report]:
    return Report.objects.alias(
        visibility_unindexed=Unindexed("visibility", output_field=CharField())
    ).filter(visibility_unindexed=Visibility.PUBLIC)


def received_by_month(
    bounds: list[datetime.datetime], *, whole_table: bool
) -> Iterator[tuple[int, int, int, int]]:
    """Public reports received per month, category and department: (month index, category id, department
    id, count), for the months [bounds[i], bounds[i + 1]).

    One GROUP BY over a CASE that numbers the months (portable SQL, no time zone functions): with
    `whole_table` as one sequential scan (1.4 s for a million reports on SQLite, where following the
    (visibility, created_at) index would visit the rows in random order: 2.5 s), else along that index,
    which suits a shorter period.
    """
    month = Case(
        *[When(created_at__lt=end, then=Value(index)) for index, end in enumerate(bounds[1:])],
        output_field=IntegerField(),
    )
    if whole_table:
        reports = _unindexed_public().alias(
            created_unindexed=Unindexed("created_at", output_field=DateTimeField())
        )
        reports = reports.filter(created_unindexed__gte=bounds[0], created_unindexed__lt=bounds[-1])
    else:
        reports = _public(bounds[0], bounds[-1])
    rows = (
        reports.order_by()
        # Grouped on unindexed copies: on the plain columns SQLite walks report_nearby_idx (category first)
        # for a head start on the grouping and visits the rows in random order (3.4 s instead of 1.4 s).
        .annotate(
            month=month,
            category_unindexed=Unindexed("category_id", output_field=IntegerField()),
            department_unindexed=Unindexed("department_id", output_field=IntegerField()),
        )
        .values("month", "category_unindexed", "department_unindexed")
        .annotate(n=Count("id"))
        .order_by("month")
        .values_list("month", "category_unindexed", "department_unindexed", "n")
    )
    return iter(_fetch(rows))


def closings(start: datetime.datetime, end: datetime.datetime) -> Iterator[tuple]:
    """Public reports closed in [start, end) (closed now: a reopened report has no closing date), ordered by
    the closing date: (closed UTC text, whole seconds from receipt to closing, category id, department id,
    state).

    A range of report_public_closed_idx (visibility, is_open, closed_at, created_at, category, department,
    state), read in its order from the index alone: no sort, no visit of the table (decision 0028). Streamed
    in chunks, so memory does not grow with the rows. Ties of the closing date stay in index order: the
    figures of a month do not depend on the order of its closings.
    """
    rows = (
        Report.objects.filter(
            visibility=Visibility.PUBLIC, is_open=False, closed_at__gte=start, closed_at__lt=end
        )
        .order_by("closed_at")
        .annotate(closed_utc=UtcText("closed_at"), seconds=WholeSecondsBetween("created_at", "closed_at"))
        .values_list("closed_utc", "seconds", "category_id", "department_id", "state")
    )
    return rows.iterator(chunk_size=BATCH_SIZE)
