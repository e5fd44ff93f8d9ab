"""When the public report data last changed: the validators (ETag, Last-Modified) of cached public responses.

Each is one indexed query, cheap enough to ask before every public GET (core/caching.py). Every change a
visitor can see stamps the report's `updated_at` (status, text, moderation, a processed photo, an answer),
hidden reports included: hiding one removes it from the lists.
"""

import datetime
import functools
import os

from django.db import connection
from django.db.models import Count, Max, Subquery

from stadtdigital.core.caching import Version
from stadtdigital.core.db import CompiledValues
from stadtdigital.reports.models import Category, CategoryQuestion, Report, Visibility


def _latest(model, **exclude) -> Subquery:
    return Subquery(model.objects.exclude(**exclude).order_by("-updated_at").values("updated_at")[:1])


def _stamp(value: datetime.datetime | None) -> str:
    return value.isoformat() if value else "-"


def _aware(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A datetime read straight from the cursor: SQLite answers Django's UTC text."""
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


@functools.cache
def _public_reports_sql(vendor: str) -> CompiledValues:
    return CompiledValues.of(
        Report.objects.exclude(visibility=Visibility.PENDING_CONFIRMATION)
        .order_by("-updated_at")
        .annotate(category_changed_at=_latest(Category), question_changed_at=_latest(CategoryQuestion))
        .values("updated_at", "category_changed_at", "question_changed_at")[:1]
    )


def public_reports(extra: str = "") -> Version:
    """Of every response built from all public reports (lists, map, feed): the latest change of a report
    (hidden ones too: hiding one removes it) and of a category or question (their names are in every row).
    One query, along report_updated_idx; compiled once per process (it is asked before every public GET)."""
    found = _public_reports_sql(connection.vendor).dicts()
    if not found:  # no reports: nothing else shows either
        return Version(None, extra)
    row = found[0]
    category_changed_at, question_changed_at = (
        _aware(row["category_changed_at"]),
        _aware(row["question_changed_at"]),
    )
    return Version(
        _aware(row["updated_at"]), f"{_stamp(category_changed_at)}|{_stamp(question_changed_at)}|{extra}"
    )


# A report id no real report has; marks the id's place among the compiled query's parameters.
_ID_SENTINEL = 7_318_004_659_202_317_013


@functools.cache
def _public_report_sql(vendor: str) -> CompiledValues:
    return CompiledValues.of(
        Report.objects.filter(pk=_ID_SENTINEL)
        .exclude(visibility=Visibility.PENDING_CONFIRMATION)
        .annotate(question_changed_at=_latest(CategoryQuestion))
        .values("updated_at", "category__updated_at", "question_changed_at")[:1],
        _ID_SENTINEL,
    )


def public_report(pk: int) -> Version | None:
    """Of the responses about one report; None when there is no such report (the view answers 404). One
    query, compiled once per process: the report's own change and that of its category's names."""
    found = _public_report_sql(connection.vendor).dicts(pk)
    if not found:
        return None
    row = found[0]
    return report_version(row["updated_at"], row["category__updated_at"], row["question_changed_at"])


def report_version(updated_at, category_updated_at, question_changed_at) -> Version:
    """The version of one report's responses from its three times (datetimes, or SQLite's UTC text), for
    a query that reads them with the report (Open311's single request: one round trip, not two)."""
    return Version(
        _aware(updated_at), f"{_stamp(_aware(category_updated_at))}|{_stamp(_aware(question_changed_at))}"
    )


def latest_question_change() -> Subquery:
    """The latest change of any category question, as a subquery for a query on reports."""
    return _latest(CategoryQuestion)


def basemap() -> Version | None:
    """Of the offline background map: its file's modification time and size."""
    from django.conf import settings

    try:
        stat = os.stat(settings.MAP_FALLBACK_GEOJSON) if settings.MAP_FALLBACK_GEOJSON else None
    except OSError:
        stat = None
    if stat is None:
        return None
    changed_at = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
    return Version(changed_at, f"{stat.st_size}|{stat.st_mtime_ns}")


def categories() -> Version:
    """Of the service list and definitions: the latest change of a category or question and how many
    categories there are (a deleted one leaves no timestamp). One query."""
    latest = Category.objects.aggregate(
        category=Max("updated_at"), count=Count("id"), question=Max(_latest(CategoryQuestion))
    )
    stamps = [stamp for stamp in (latest["category"], latest["question"]) if stamp is not None]
    return Version(max(stamps, default=None), f"{latest['count']}|{_stamp(latest['question'])}")
