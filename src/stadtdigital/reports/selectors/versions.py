"""When the public report data last changed: the validators (ETag, Last-Modified) of cached public responses.

Each is one indexed query, cheap enough to ask before every public GET (core/caching.py). Every change a
visitor can see stamps the report's `updated_at` (status, text, moderation, a processed photo, an answer),
hidden reports included: hiding one removes it from the lists.
"""

import datetime
import os

from django.db.models import Count, Max, Subquery

from stadtdigital.core.caching import Version
from stadtdigital.reports.models import Category, CategoryQuestion, Report, Visibility


def _latest(model, **exclude) -> Subquery:
    return Subquery(model.objects.exclude(**exclude).order_by("-updated_at").values("updated_at")[:1])


def _stamp(value: datetime.datetime | None) -> str:
    return value.isoformat() if value else "-"


def public_reports(extra: str = "") -> Version:
    """Of every response built from all public reports (lists, map, feed): the latest change of a report
    (hidden ones too: hiding one removes it) and of a category or question (their names are in every row).
    One query, along report_updated_idx."""
    row = (
        Report.objects.exclude(visibility=Visibility.PENDING_CONFIRMATION)
        .order_by("-updated_at")
        .annotate(category_changed_at=_latest(Category), question_changed_at=_latest(CategoryQuestion))
        .values_list("updated_at", "category_changed_at", "question_changed_at")
        .first()
    )
    if row is None:  # no reports: nothing else shows either
        return Version(None, extra)
    changed_at, category_changed_at, question_changed_at = row
    return Version(changed_at, f"{_stamp(category_changed_at)}|{_stamp(question_changed_at)}|{extra}")


def public_report(pk: int) -> Version | None:
    """Of the responses about one report; None when there is no such report (the view answers 404). One
    query: the report's own change and that of its category's names."""
    row = (
        Report.objects.filter(pk=pk)
        .exclude(visibility=Visibility.PENDING_CONFIRMATION)
        .annotate(question_changed_at=_latest(CategoryQuestion))
        .values_list("updated_at", "category__updated_at", "question_changed_at")
        .first()
    )
    if row is None:
        return None
    changed_at, category_changed_at, question_changed_at = row
    return Version(changed_at, f"{_stamp(category_changed_at)}|{_stamp(question_changed_at)}")


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
