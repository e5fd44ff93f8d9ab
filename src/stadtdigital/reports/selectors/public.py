"""Reads for the public pages (/anliegen/, the map, the feed, the report page).

Privacy: everything here reads only the public part of a report. Personal data (name, email, phone) and
internal fields are deferred so they are not even loaded; the reporter's name is handed to a template only
through `public_reporter_name`, which respects `show_name` and the purge.
"""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from stadtdigital.reports.models import Event, EventKind, Photo, PhotoStatus, Report, State, Visibility

# Fields a public page may read. Anything not listed here is never loaded for the public.
PUBLIC_FIELDS = (
    "id",
    "category_id",
    "category__name",
    "category__code",
    "state",
    "is_open",
    "visibility",
    "description",
    "lat",
    "lon",
    "address",
    "created_at",
    "updated_at",
    "closed_at",
    "supporters_count",
    "duplicate_of_id",
    "forwarded_to",
)

# Plain-language meaning of each state, shown next to it. "erledigt" and "geschlossen ohne Behebung" must
# never be confused (a top complaint about other systems), so each says what happened to the problem.
STATE_EXPLANATIONS = {
    State.RECEIVED: _("Die Meldung ist bei der Stadt eingegangen und wird demnächst geprüft."),
    State.IN_REVIEW: _("Die zuständige Stelle prüft, was zu tun ist."),
    State.IN_PROGRESS: _("Die zuständige Stelle kümmert sich um die Behebung."),
    State.FIXED: _("Der Mangel wurde behoben."),
    State.CLOSED_NOT_FIXED: _(
        "Die Meldung wurde geschlossen, der Mangel aber nicht behoben. Den Grund nennt die Stadt im Verlauf."
    ),
    State.REJECTED: _(
        "Die Meldung wurde abgelehnt, z. B. weil kein Mangel vorliegt. Den Grund nennt der Verlauf."
    ),
    State.DUPLICATE: _(
        "Dieser Mangel wurde schon gemeldet; die Bearbeitung läuft unter der ursprünglichen Meldung."
    ),
    State.NOT_RESPONSIBLE: _(
        "Die Stadt ist nicht zuständig und hat die Meldung an die zuständige Stelle weitergegeben."
    ),
    State.REOPENED: _("Die Meldung wurde wieder geöffnet, weil der Mangel weiterhin besteht."),
}

# A short marker for the kind of outcome, used for styling and for screen-reader independent icons.
STATE_TONES = {
    State.RECEIVED: "open",
    State.IN_REVIEW: "open",
    State.IN_PROGRESS: "progress",
    State.REOPENED: "open",
    State.FIXED: "fixed",
    State.CLOSED_NOT_FIXED: "not-fixed",
    State.REJECTED: "not-fixed",
    State.DUPLICATE: "other",
    State.NOT_RESPONSIBLE: "other",
}


def public_reports() -> QuerySet[Report]:
    """Public reports with only their public columns; newest first."""
    return (
        Report.objects.filter(visibility=Visibility.PUBLIC)
        .select_related("category")
        .only(*PUBLIC_FIELDS)
        .order_by("-created_at", "-id")
    )


def public_photos_queryset() -> QuerySet[Photo]:
    return Photo.objects.filter(status=PhotoStatus.READY, hidden=False).only(
        "id", "report_id", "image", "thumbnail", "width", "height", "position"
    )


def with_thumbnails(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Adds `public_photos` (READY, not hidden) to every report of a list page."""
    return reports.prefetch_related(
        Prefetch("photos", queryset=public_photos_queryset(), to_attr="public_photos")
    )


def public_report(pk: int) -> Report:
    """The public report, or 404: hidden and unconfirmed reports do not exist for the public."""
    return get_object_or_404(public_reports(), pk=pk)


def public_photo(report_pk: int, photo_pk: int) -> Photo:
    return get_object_or_404(
        public_photos_queryset(), pk=photo_pk, report__pk=report_pk, report__visibility=Visibility.PUBLIC
    )


def public_history(report: Report) -> list[Event]:
    """Public history entries: date, state change, public text; never who, never internal notes."""
    return list(
        Event.objects.filter(report=report, is_public=True)
        .only("id", "created_at", "kind", "from_state", "to_state", "public_text")
        .order_by("created_at", "id")
    )


def public_answers(history: list[Event]) -> list[Event]:
    """Public answers of the city (state changes with their texts are in the history)."""
    return [event for event in history if event.public_text and event.kind == EventKind.ANSWER]


def public_reporter_name(report: Report) -> str:
    """The reporter's name if they chose to show it and it has not been purged; otherwise empty."""
    row = (
        Report.objects.filter(pk=report.pk, visibility=Visibility.PUBLIC)
        .values("show_name", "reporter_name", "personal_data_purged_at")
        .first()
    )
    if not row or not row["show_name"] or row["personal_data_purged_at"]:
        return ""
    return row["reporter_name"].strip()


def original_of(report: Report) -> Report | None:
    """A duplicate's original, if the public may see it."""
    if not report.duplicate_of_id:
        return None
    return public_reports().filter(pk=report.duplicate_of_id).first()
