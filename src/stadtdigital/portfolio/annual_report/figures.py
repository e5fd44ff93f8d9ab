"""Every figure of the Digitalisierungsbericht as of a date, as one JSON-ready dict.

The format is documented in docs/annual-report-json.md; keys are stable (schema `SCHEMA`). Definitions:

- A project is in the report when it has a history entry (ProjectVersion) effective on or before `as_of`;
  its status, field of action, department, planned budget, cost to date and funding are those of its latest
  entry on or before `as_of` (`selectors.states_as_of`), never today's values.
- `implementation_cost_eur`: the sum of the planned budgets of the projects *in implementation* as of the
  date (the "cost of the projects in implementation" of the report). A missing budget counts as 0.
- `largest_field_of_action_by_cost`: the field of action with the largest such sum (ties: list order).
- Completion date of a project: the effective date of the history entry from which it is "abgeschlossen"
  (counted for projects that are completed as of the date).
- Money is Decimal throughout and written as a string with 2 decimals ("13500000.00"), never a float.
- Texts, milestones, KPIs, partners, tags and links are not historised: the report shows their current
  values, except that a milestone counts as reached only if reached on or before `as_of`, and only KPI
  values measured on or before `as_of` (or undated) are shown. Actual start/end after `as_of` are omitted.
- Internal fields (contact person, internal notes) are never read.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings

from stadtdigital.core.kpis import live_kpis_for, project_slugs_with_live_kpis
from stadtdigital.core.models import Department
from stadtdigital.core.selectors import synthetic_data_present
from stadtdigital.portfolio.annual_report.formatting import iso, money, signed, to_decimal
from stadtdigital.portfolio.models import (
    KPI,
    FieldOfAction,
    Milestone,
    Priority,
    Project,
    ProjectLink,
    PublishedReport,
    Status,
)
from stadtdigital.portfolio.selectors import states_as_of

SCHEMA = "stadtdigital.annual-report/1"
ZERO = Decimal("0")

# Public project fields read for the report. contact_person and internal_notes are deliberately absent.
PUBLIC_PROJECT_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "description",
    "priority",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "funding_source",
    "is_synthetic",
)


def default_title(year: int) -> str:
    return f"Digitalisierungsbericht {year}"


def _status_labels() -> dict[str, str]:
    # German labels regardless of the active language: the report is a German publication.
    from django.utils import translation

    with translation.override("de"):
        return {code: str(label) for code, label in Status.choices}


def _priority_labels() -> dict[str, str]:
    from django.utils import translation

    with translation.override("de"):
        return {code: str(label) for code, label in Priority.choices}


def _quarter(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _completions(completion_dates: list[datetime.date], as_of: datetime.date) -> dict:
    """Completions per year and per quarter, continuous from the first completion up to as_of."""
    if not completion_dates:
        return {"by_year": [], "by_quarter": []}
    per_year: dict[int, int] = defaultdict(int)
    per_quarter: dict[tuple[int, int], int] = defaultdict(int)
    for day in completion_dates:
        per_year[day.year] += 1
        per_quarter[_quarter(day)] += 1
    first = min(completion_dates)
    by_year, cumulative = [], 0
    for year in range(first.year, as_of.year + 1):
        cumulative += per_year[year]
        by_year.append({"period": str(year), "completed": per_year[year], "cumulative": cumulative})
    by_quarter, cumulative = [], 0
    year, quarter = _quarter(first)
    last = _quarter(as_of)
    while (year, quarter) <= last:
        cumulative += per_quarter[(year, quarter)]
        by_quarter.append(
            {
                "period": f"{year}-Q{quarter}",
                "completed": per_quarter[(year, quarter)],
                "cumulative": cumulative,
            }
        )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return {"by_year": by_year, "by_quarter": by_quarter}


def _related(project_ids: set[int], as_of: datetime.date) -> dict[str, dict[int, list]]:
    """Milestones, KPIs, links, partners and tags of the reported projects, in five queries (no N+1).

    Reads whole tables rather than `project_id IN (...)` lists, so 10,000 projects need no huge IN clause.
    """
    related: dict[str, dict[int, list]] = {
        key: defaultdict(list) for key in ("milestones", "kpis", "links", "partners", "tags")
    }
    for pid, title, due, done_on in Milestone.objects.order_by("project_id", "due", "id").values_list(
        "project_id", "title", "due", "done_on"
    ):
        if pid in project_ids:
            reached = done_on if done_on and done_on <= as_of else None
            related["milestones"][pid].append({"title": title, "due": iso(due), "done_on": iso(reached)})
    for pid, name, unit, target, current, kpi_as_of in KPI.objects.order_by("project_id", "id").values_list(
        "project_id", "name", "unit", "target", "current", "as_of"
    ):
        if pid in project_ids and (kpi_as_of is None or kpi_as_of <= as_of):
            related["kpis"][pid].append(
                {
                    "name": name,
                    "unit": unit,
                    "target": money(target),
                    "current": money(current),
                    "as_of": iso(kpi_as_of),
                }
            )
    for pid, title, url in ProjectLink.objects.order_by("project_id", "id").values_list(
        "project_id", "title", "url"
    ):
        if pid in project_ids:
            related["links"][pid].append({"title": title, "url": url})
    through = Project.partners.through.objects.order_by("project_id", "partner__name")
    for pid, name, kind in through.values_list("project_id", "partner__name", "partner__kind"):
        if pid in project_ids:
            related["partners"][pid].append({"name": name, "kind": kind})
    through = Project.tags.through.objects.order_by("project_id", "tag__name")
    for pid, name in through.values_list("project_id", "tag__name"):
        if pid in project_ids:
            related["tags"][pid].append(name)
    return related


def previous_report(as_of: datetime.date) -> PublishedReport | None:
    """The latest published report with a Stichtag before `as_of`."""
    return (
        PublishedReport.objects.filter(as_of__lt=as_of)
        .order_by("-as_of", "-year")
        .only("year", "as_of", "title", "figures")
        .first()
    )


def _comparison(current: dict, previous: PublishedReport | None) -> dict | None:
    if previous is None:
        return None
    figures = previous.figures or {}
    labels = _status_labels()
    before_status = figures.get("projects_by_status") or {}
    by_status = {}
    summary = []
    for code in Status.values:
        before = int(before_status.get(code, 0))
        now = current["projects_by_status"][code]
        by_status[code] = {"previous": before, "current": now, "delta": now - before}
        if now != before:
            summary.append(f"{signed(now - before)} {labels[code]}")
    before_total = int(figures.get("total_projects", 0))
    before_cost = to_decimal(figures.get("implementation_cost_eur"))
    now_cost = to_decimal(current["implementation_cost_eur"])
    delta_cost = now_cost - before_cost
    return {
        "previous": {
            "year": previous.year,
            "as_of": previous.as_of.isoformat(),
            "title": previous.title,
        },
        "total_projects": {
            "previous": before_total,
            "current": current["total_projects"],
            "delta": current["total_projects"] - before_total,
        },
        "projects_by_status": by_status,
        "implementation_cost_eur": {
            "previous": money(before_cost),
            "current": money(now_cost),
            "delta": ("+" if delta_cost > 0 else "") + money(delta_cost),
        },
        "summary": [f"{signed(current['total_projects'] - before_total)} Projekte insgesamt", *summary],
    }


def build_report_data(as_of: datetime.date, *, year: int | None = None, title: str | None = None) -> dict:
    """Everything the report shows, as of `as_of`, computed from the history. JSON-ready (no Decimals)."""
    year = year or as_of.year
    states = states_as_of(as_of)
    status_labels = _status_labels()
    priority_labels = _priority_labels()
    fields = {f.id: f for f in FieldOfAction.objects.all()}
    departments = {d.id: d for d in Department.objects.all()}
    # All rows, filtered here: cheaper than an IN list of thousands of ids, and identical on every database.
    projects = {
        row["id"]: row for row in Project.objects.values(*PUBLIC_PROJECT_FIELDS) if row["id"] in states
    }
    related = _related(set(projects), as_of)
    live_slugs = project_slugs_with_live_kpis()  # projects with live figures from another app (core.kpis)

    by_status = dict.fromkeys(Status.values, 0)
    per_field: dict[int, dict] = {}
    totals = {"planned_budget": ZERO, "cost_to_date": ZERO, "funding": ZERO, "implementation": ZERO}
    completion_dates = []
    for pid in projects:
        state = states[pid]
        by_status[state.status] += 1
        budget = state.planned_budget or ZERO
        entry = per_field.setdefault(
            state.field_of_action_id,
            {
                "projects_by_status": dict.fromkeys(Status.values, 0),
                "planned_budget": ZERO,
                "cost_to_date": ZERO,
                "funding": ZERO,
                "implementation": ZERO,
                "implementation_projects": 0,
            },
        )
        entry["projects_by_status"][state.status] += 1
        entry["planned_budget"] += budget
        entry["cost_to_date"] += state.cost_to_date or ZERO
        entry["funding"] += state.funding_amount or ZERO
        totals["planned_budget"] += budget
        totals["cost_to_date"] += state.cost_to_date or ZERO
        totals["funding"] += state.funding_amount or ZERO
        if state.status == Status.IMPLEMENTATION:
            entry["implementation"] += budget
            entry["implementation_projects"] += 1
            totals["implementation"] += budget
        if state.status == Status.COMPLETED:
            completion_dates.append(state.since)

    field_order = sorted(per_field, key=lambda fid: (fields[fid].position, fields[fid].name, fid))
    fields_of_action = []
    for fid in field_order:
        entry, field = per_field[fid], fields[fid]
        fields_of_action.append(
            {
                "slug": field.slug,
                "name": field.name,
                "description": field.description,
                "total_projects": sum(entry["projects_by_status"].values()),
                "projects_by_status": entry["projects_by_status"],
                "implementation_projects": entry["implementation_projects"],
                "implementation_cost_eur": money(entry["implementation"]),
                "planned_budget_eur": money(entry["planned_budget"]),
                "cost_to_date_eur": money(entry["cost_to_date"]),
                "funding_eur": money(entry["funding"]),
            }
        )

    largest = None
    if totals["implementation"] > 0:
        fid = max(field_order, key=lambda f: (per_field[f]["implementation"], -field_order.index(f)))
        largest = {
            "slug": fields[fid].slug,
            "name": fields[fid].name,
            "implementation_cost_eur": money(per_field[fid]["implementation"]),
            "implementation_projects": per_field[fid]["implementation_projects"],
        }

    field_rank = {fid: n for n, fid in enumerate(field_order)}
    ordered = sorted(
        projects.values(),
        key=lambda p: (field_rank[states[p["id"]].field_of_action_id], p["title"].casefold(), p["slug"]),
    )
    project_rows = []
    for p in ordered:
        state = states[p["id"]]
        dept = departments[state.department_id]
        project_rows.append(
            {
                "slug": p["slug"],
                "title": p["title"],
                "summary": p["summary"],
                "description": p["description"],
                "url": f"{settings.SITE_URL}/projekte/{p['slug']}/",
                "field_of_action": fields[state.field_of_action_id].slug,
                "department": {"slug": dept.slug, "name": dept.name, "short_name": dept.short_name},
                "status": state.status,
                "status_label": status_labels[state.status],
                "status_since": iso(state.since),
                "priority": p["priority"],
                "priority_label": priority_labels.get(p["priority"], p["priority"]),
                "planned_start": iso(p["planned_start"]),
                "planned_end": iso(p["planned_end"]),
                "actual_start": iso(p["actual_start"])
                if p["actual_start"] and p["actual_start"] <= as_of
                else None,
                "actual_end": iso(p["actual_end"]) if p["actual_end"] and p["actual_end"] <= as_of else None,
                "planned_budget_eur": money(state.planned_budget),
                "cost_to_date_eur": money(state.cost_to_date),
                "funding_eur": money(state.funding_amount),
                "funding_source": p["funding_source"],
                "partners": related["partners"][p["id"]],
                "tags": related["tags"][p["id"]],
                "links": related["links"][p["id"]],
                "milestones": related["milestones"][p["id"]],
                "kpis": related["kpis"][p["id"]],
                "live_kpis": [k.as_dict() for k in live_kpis_for(p["slug"], as_of)]
                if p["slug"] in live_slugs
                else [],
            }
        )

    data = {
        "schema": SCHEMA,
        "title": title or default_title(year),
        "year": year,
        "as_of": as_of.isoformat(),
        "city": settings.CITY_NAME,
        "publisher": settings.CITY_PUBLISHER,
        "currency": "EUR",
        "is_synthetic": any(p["is_synthetic"] for p in projects.values()) or synthetic_data_present(),
        "statuses": [{"code": code, "label": status_labels[code]} for code in Status.values],
        "total_projects": len(projects),
        "projects_by_status": by_status,
        "implementation_projects": by_status[Status.IMPLEMENTATION],
        "implementation_cost_eur": money(totals["implementation"]),
        "planned_budget_total_eur": money(totals["planned_budget"]),
        "cost_to_date_total_eur": money(totals["cost_to_date"]),
        "funding_total_eur": money(totals["funding"]),
        "largest_field_of_action_by_cost": largest,
        "fields_of_action": fields_of_action,
        "completions": _completions(completion_dates, as_of),
        "projects": project_rows,
    }
    data["comparison"] = _comparison(data, previous_report(as_of))
    return data


def headline_figures(data: dict) -> dict:
    """What a PublishedReport keeps in its `figures` column: the report without the project list."""
    return {key: value for key, value in data.items() if key != "projects"}
