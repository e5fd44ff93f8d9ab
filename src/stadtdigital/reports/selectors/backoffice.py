"""Read side of the back office: the case worker's queue with its tabs and filters, a report's history."""

import re

from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadtdigital.reports import permissions
from stadtdigital.reports.models import AnswerTemplate, Report, State, Visibility

TABS = (
    ("neu", _("Neu")),
    ("meine", _("Meine")),
    ("fachbereich", _("Fachbereich")),
    ("eingang", _("Eingangsprüfung")),
    ("ueberfaellig", _("Überfällig")),
    ("wieder", _("Wieder geöffnet")),
    ("alle", _("Alle, auch erledigte")),
)
DEFAULT_TAB = "fachbereich"
# What needs a decision now: new reports nobody has accepted yet, reopened ones and those in the triage.
NEEDS_DECISION = Q(state__in=(State.RECEIVED, State.REOPENED)) | Q(needs_triage=True)
# A report is in the "Eingangsprüfung" until someone accepts it (state "eingegangen") or, for categories with
# "Eingang prüfen", until it is released. (It used to count only the latter, so a department without such
# categories always saw 0 there, however many new reports waited.)
AWAITING_CHECK = Q(state=State.RECEIVED) | Q(needs_triage=True)
SORTS = {
    # new and reopened first (longest waiting first), then the rest by target date
    "dringend": (
        Case(When(NEEDS_DECISION, then=Value(0)), default=Value(1)).asc(),
        F("due_at").asc(nulls_last=True),
        "created_at",
        "id",
    ),
    "alt": ("created_at", "id"),
    "neu": ("-created_at", "-id"),
    "faellig": (F("due_at").asc(nulls_last=True), "created_at", "id"),
    "unterstuetzt": ("-supporters_count", "created_at", "id"),
}
DEFAULT_SORT = "dringend"
ID_PATTERN = re.compile(r"^\s*#?\s*(\d{1,12})\s*$")


def tab_filter(tab: str, user, now) -> Q:
    if tab == "meine":
        return Q(is_open=True, assigned_to=user)
    if tab == "neu":
        return Q(is_open=True) & NEEDS_DECISION
    if tab == "eingang":
        return Q(is_open=True) & AWAITING_CHECK
    if tab == "ueberfaellig":
        return Q(is_open=True, due_at__lt=now)
    if tab == "wieder":
        return Q(state=State.REOPENED)
    if tab == "alle":
        return Q()
    return Q(is_open=True)


def queue_base(user):
    """Reports the user sees in the back office; those still waiting for the reporter's email confirmation
    are left out (they may be spam; staff find them by number)."""
    return permissions.visible_reports(user).exclude(visibility=Visibility.PENDING_CONFIRMATION)


def tab_counts(user, now=None) -> dict:
    """All tab counts in one query."""
    now = now or timezone.now()
    return queue_base(user).aggregate(
        **{tab: Count("pk", filter=tab_filter(tab, user, now)) for tab, _label in TABS if tab != "alle"}
    )


def id_from_query(text: str) -> int | None:
    match = ID_PATTERN.match(text or "")
    return int(match.group(1)) if match else None


def queue(
    user, *, tab=DEFAULT_TAB, state="", category=None, department=None, assigned="", q="", sort="", now=None
):
    now = now or timezone.now()
    reports = queue_base(user).filter(tab_filter(tab, user, now))
    if state:
        reports = reports.filter(state=state)
    if category is not None:
        reports = reports.filter(category=category)
    if department is not None:
        reports = reports.filter(department=department)
    if assigned == "ich":
        reports = reports.filter(assigned_to=user)
    elif assigned == "niemand":
        reports = reports.filter(assigned_to__isnull=True)
    if q:
        report_id = id_from_query(q)
        if report_id is not None:
            reports = reports.filter(pk=report_id)
        else:
            reports = reports.filter(Q(description__icontains=q) | Q(address__icontains=q))
    return reports.select_related("category", "department", "assigned_to").order_by(
        *SORTS.get(sort, SORTS[DEFAULT_SORT])
    )


def history(report: Report):
    """The full history for staff, including internal notes and moderation originals."""
    return report.events.select_related("actor").order_by("created_at", "id")


def templates_for(report: Report, user):
    """Answer templates usable on this report: the report's category or global, any target state."""
    return (
        permissions.visible_templates(user)
        .filter(Q(category__isnull=True) | Q(category=report.category_id))
        .order_by("state", "title")
    )


def answer_templates(user):
    return (
        permissions.visible_templates(user)
        .select_related("category", "category__department")
        .order_by("category__name", "state", "title")
    )


__all__ = ["AnswerTemplate", "DEFAULT_SORT", "DEFAULT_TAB", "SORTS", "TABS", "queue", "tab_counts"]
