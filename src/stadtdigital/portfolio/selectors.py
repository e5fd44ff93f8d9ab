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
