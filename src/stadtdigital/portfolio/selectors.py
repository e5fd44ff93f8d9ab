"""Reads of the portfolio, including figures reconstructed from the history as of a date."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from stadtdigital.portfolio.models import Project, ProjectVersion, Status


@dataclass(frozen=True)
class ProjectState:
    """A project's reportable figures as they stood on a given date."""

    project_id: int
    status: str
    field_of_action_id: int
    department_id: int
    planned_budget: Decimal | None
    cost_to_date: Decimal | None
    funding_amount: Decimal | None
    since: datetime.date


def states_as_of(as_of: datetime.date) -> dict[int, ProjectState]:
    """Per project that existed on `as_of`: its latest history entry effective on or before that date."""
    states: dict[int, ProjectState] = {}
    rows = (
        ProjectVersion.objects.filter(effective_date__lte=as_of)
        .order_by("project_id", "effective_date", "id")
        .values_list(
            "project_id",
            "status",
            "field_of_action_id",
            "department_id",
            "planned_budget",
            "cost_to_date",
            "funding_amount",
            "effective_date",
        )
    )
    status_since: dict[int, datetime.date] = {}
    for project_id, status, foa, dept, budget, cost, funding, effective in rows.iterator(chunk_size=5000):
        previous = states.get(project_id)
        if previous is None or previous.status != status:
            status_since[project_id] = effective
        states[project_id] = ProjectState(
            project_id, status, foa, dept, budget, cost, funding, status_since[project_id]
        )
    return states


def status_timeline(project: Project) -> list[ProjectVersion]:
    """The entries of a project's history at which its status changed (the first entry included)."""
    timeline, last_status = [], None
    for version in project.versions.select_related("recorded_by").order_by("effective_date", "id"):
        if version.status != last_status:
            timeline.append(version)
            last_status = version.status
    return timeline


def status_counts(states: dict[int, ProjectState]) -> dict[str, int]:
    counts = dict.fromkeys(Status.values, 0)
    for state in states.values():
        counts[state.status] += 1
    return counts


# --- Public and back office pages -------------------------------------------------------------------

# Lifecycle order, for sorting and for the totals at the top of /projekte/.
STATUS_ORDER = [
    Status.IDEA,
    Status.PREPARATION,
    Status.IMPLEMENTATION,
    Status.COMPLETED,
    Status.PAUSED,
    Status.CANCELLED,
]


def project_list_queryset():
    """Projects with what a list row shows, one query; by title regardless of case ("ePayment")."""
    from django.db.models.functions import Lower

    return Project.objects.select_related("field_of_action", "department").order_by(Lower("title"), "pk")


def project_text_search(queryset, text: str):
    """Projects whose title, summary, description or a tag contains every word of `text`."""
    from django.db.models import Q

    for word in text.split():
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(tags__name__icontains=word)
        )
    # The tag join can repeat a project; filter by id instead of distinct() so sums stay simple.
    matches = Project.objects.filter(pk__in=queryset.values("pk")).select_related(
        "field_of_action", "department"
    )
    return matches.order_by(*queryset.query.order_by) if queryset.query.order_by else matches


def order_by_status(queryset, descending: bool = False):
    """Sorts by lifecycle (Idee ... eingestellt), not by the status code's spelling."""
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(
        *[When(status=code, then=Value(i)) for i, code in enumerate(STATUS_ORDER)],
        output_field=IntegerField(),
    )
    queryset = queryset.annotate(status_rank=rank)
    return queryset.order_by("-status_rank" if descending else "status_rank", "title")


@dataclass(frozen=True)
class StatusCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class PortfolioTotals:
    count: int
    by_status: list[StatusCount]
    planned_budget: Decimal
    cost_to_date: Decimal
    funding_amount: Decimal


def portfolio_totals(queryset) -> PortfolioTotals:
    """Count per status and money sums of a (filtered) project queryset.

    Sums are added up in Python from the stored Decimals: exact to the cent on every database (SQLite
    would sum REALs). Missing amounts count as zero.
    """
    counts = dict.fromkeys(STATUS_ORDER, 0)
    budget = cost = funding = Decimal("0.00")
    total = 0
    rows = queryset.order_by().values_list("status", "planned_budget", "cost_to_date", "funding_amount")
    for status, planned, spent, funded in rows.iterator(chunk_size=5000):
        total += 1
        counts[status] = counts.get(status, 0) + 1
        budget += planned or 0
        cost += spent or 0
        funding += funded or 0
    by_status = [StatusCount(code, Status(code).label, counts[code]) for code in STATUS_ORDER]
    return PortfolioTotals(total, by_status, budget, cost, funding)


def public_project(slug: str) -> Project:
    """One project with everything its public page shows; raises Http404 if there is none."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Project.objects.select_related("field_of_action", "department").prefetch_related(
            "partners", "tags", "links", "milestones", "kpis"
        ),
        slug=slug,
    )


def project_history(project: Project) -> list[ProjectVersion]:
    """Every history entry of a project, newest first, with who recorded it (back office only)."""
    return list(
        project.versions.select_related("recorded_by", "field_of_action", "department").order_by(
            "-effective_date", "-id"
        )
    )
