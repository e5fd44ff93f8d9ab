"""Exports the whole portfolio, internal fields included, as CSV or XLSX that importing.py reads back.

This is the back office's export: it must round-trip, so it carries contact person and internal notes and
must never be offered publicly.
"""

import datetime
from collections.abc import Callable, Iterator

from django.utils import translation

from stadtdigital.core.numbers import format_compact_de
from stadtdigital.portfolio import tabular
from stadtdigital.portfolio.models import KPI, Milestone, Project, ProjectLink, ProjectVersion
from stadtdigital.portfolio.tabular import FileFormat, format_date, join_parts

PROGRESS_EVERY = 500
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_portfolio(
    file_format: FileFormat, stream, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Writes every project to `stream` (text for CSV, binary for XLSX); returns the number of projects."""
    projects = list(
        Project.objects.select_related("field_of_action", "department")
        .prefetch_related("partners", "tags", "milestones", "kpis", "links")
        .order_by("title", "slug")
    )
    rows = _rows(projects, progress)
    # Choice labels are part of the format and stay German whatever language the user browses in.
    with translation.override("de"):
        if file_format is FileFormat.CSV:
            tabular.write_csv(rows, stream)
        else:
            tabular.write_xlsx(rows, stream)
    return len(projects)


def export_filename(file_format: FileFormat, today: datetime.date) -> str:
    return f"projektportfolio-{today.isoformat()}.{file_format.value}"


def _rows(projects: list[Project], progress) -> Iterator[list]:
    status_since = status_since_by_project()
    for done, project in enumerate(projects, 1):
        yield project_row(project, status_since.get(project.pk))
        if progress and (done % PROGRESS_EVERY == 0 or done == len(projects)):
            progress(done, len(projects))


def status_since_by_project() -> dict[int, datetime.date]:
    """Per project: the effective date of the history entry that set its current status."""
    since: dict[int, datetime.date] = {}
    last_status: dict[int, str] = {}
    versions = ProjectVersion.objects.order_by("project_id", "effective_date", "id").values_list(
        "project_id", "status", "effective_date"
    )
    for project_id, status, effective_date in versions.iterator(chunk_size=5000):
        if last_status.get(project_id) != status:
            since[project_id] = effective_date
            last_status[project_id] = status
    return since


def project_row(project: Project, status_since: datetime.date | None) -> list:
    """One project as cell values in tabular.COLUMNS order: str, Decimal, date or None."""
    values = {
        "slug": project.slug,
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "field_of_action": project.field_of_action.name,
        "status": str(project.get_status_display()),
        "status_since": status_since,
        "department": project.department.name,
        "contact_person": project.contact_person,
        "internal_notes": project.internal_notes,
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "actual_start": project.actual_start,
        "actual_end": project.actual_end,
        "planned_budget": project.planned_budget,
        "cost_to_date": project.cost_to_date,
        "funding_amount": project.funding_amount,
        "funding_source": project.funding_source,
        "partners": "\n".join(
            join_parts([partner.name, str(partner.get_kind_display())]) for partner in project.partners.all()
        ),
        "priority": str(project.get_priority_display()),
        "tags": "\n".join(" ".join(tag.name.split()) for tag in project.tags.all()),
        "links": "\n".join(_link_entry(link) for link in project.links.all()),
        "milestones": "\n".join(_milestone_entry(m) for m in project.milestones.all()),
        "kpis": "\n".join(_kpi_entry(kpi) for kpi in project.kpis.all()),
    }
    return [values[column.key] for column in tabular.COLUMNS]


def _link_entry(link: ProjectLink) -> str:
    return join_parts([link.title, link.url])


def _milestone_entry(milestone: Milestone) -> str:
    parts = [milestone.title]
    if milestone.due:
        parts.append(f"fällig: {format_date(milestone.due)}")
    if milestone.done_on:
        parts.append(f"erreicht: {format_date(milestone.done_on)}")
    return join_parts(parts)


def _kpi_entry(kpi: KPI) -> str:
    parts = [kpi.name]
    if kpi.unit:
        parts.append(f"Einheit: {kpi.unit}")
    if kpi.target is not None:
        parts.append(f"Ziel: {format_compact_de(kpi.target, group_sep='')}")
    if kpi.current is not None:
        parts.append(f"aktuell: {format_compact_de(kpi.current, group_sep='')}")
    if kpi.as_of:
        parts.append(f"Stand: {format_date(kpi.as_of)}")
    return join_parts(parts)
