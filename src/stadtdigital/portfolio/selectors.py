"""Reads of the portfolio, including figures reconstructed from the history as of a date."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from stadtdigital.portfolio.models import VERSIONED_FIELDS, Project, ProjectVersion, Status


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
        .values_list("project_id", *VERSIONED_FIELDS, "effective_date")
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


# --- Open data -----------------------------------------------------------------------------------------
# The opendata app reads the portfolio only through these functions. They return public fields only:
# never the contact person, internal notes, who recorded a change or the demo-data flag.

# Models whose rows feed public_project_rows(): a change to any of them may change the published data.
# (m2m through tables included: adding a tag to a project changes nothing else.)
PUBLIC_ROW_SOURCES = (
    "portfolio.Project",
    "portfolio.ProjectVersion",
    "portfolio.Project_partners",
    "portfolio.Project_tags",
    "portfolio.Partner",
    "portfolio.Tag",
    "portfolio.FieldOfAction",
    "portfolio.Milestone",
    "portfolio.KPI",
    "portfolio.ProjectLink",
    "core.Department",
)


@dataclass(frozen=True)
class PublicPartner:
    name: str
    kind: str
    kind_label: str


@dataclass(frozen=True)
class PublicMilestone:
    title: str
    due: datetime.date | None
    done_on: datetime.date | None


@dataclass(frozen=True)
class PublicKpi:
    name: str
    unit: str
    target: Decimal | None
    current: Decimal | None
    as_of: datetime.date | None


@dataclass(frozen=True)
class PublicLink:
    title: str
    url: str


@dataclass(frozen=True)
class PublicProjectRow:
    """One project as published: today's values, labels in German whatever the reader's language."""

    slug: str
    title: str
    summary: str
    description: str
    url: str  # the public project page, absolute
    field_of_action: str
    status: str
    status_label: str
    status_since: datetime.date | None
    department: str
    priority: str
    priority_label: str
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    planned_budget: Decimal | None
    cost_to_date: Decimal | None
    funding_amount: Decimal | None
    funding_source: str
    partners: tuple[PublicPartner, ...]
    tags: tuple[str, ...]
    milestones: tuple[PublicMilestone, ...]
    kpis: tuple[PublicKpi, ...]
    links: tuple[PublicLink, ...]


def public_project_rows(chunk_size: int = 500):
    """Every project's public fields, ordered by slug (stable), fetched in chunks so memory stays flat."""
    from django.conf import settings
    from django.utils import translation

    from stadtdigital.portfolio.exporting import status_since_by_project
    from stadtdigital.portfolio.models import PartnerKind, Priority

    # The same bytes for every reader: the ETag of a download does not depend on the request's language.
    with translation.override("de"):
        status_labels = {code: str(label) for code, label in Status.choices}
        priority_labels = {code: str(label) for code, label in Priority.choices}
        kind_labels = {code: str(label) for code, label in PartnerKind.choices}
    status_since = status_since_by_project()
    projects = (
        Project.objects.select_related("field_of_action", "department")
        .prefetch_related("partners", "tags", "milestones", "kpis", "links")
        .order_by("slug")
    )
    for project in projects.iterator(chunk_size=chunk_size):
        yield PublicProjectRow(
            slug=project.slug,
            title=project.title,
            summary=project.summary,
            description=project.description,
            url=settings.SITE_URL + project.get_absolute_url(),
            field_of_action=project.field_of_action.name,
            status=project.status,
            status_label=status_labels.get(project.status, project.status),
            status_since=status_since.get(project.pk),
            department=project.department.name,
            priority=project.priority,
            priority_label=priority_labels.get(project.priority, project.priority),
            planned_start=project.planned_start,
            planned_end=project.planned_end,
            actual_start=project.actual_start,
            actual_end=project.actual_end,
            planned_budget=project.planned_budget,
            cost_to_date=project.cost_to_date,
            funding_amount=project.funding_amount,
            funding_source=project.funding_source,
            partners=tuple(
                PublicPartner(p.name, p.kind, kind_labels.get(p.kind, p.kind)) for p in project.partners.all()
            ),
            tags=tuple(tag.name for tag in project.tags.all()),
            milestones=tuple(PublicMilestone(m.title, m.due, m.done_on) for m in project.milestones.all()),
            kpis=tuple(PublicKpi(k.name, k.unit, k.target, k.current, k.as_of) for k in project.kpis.all()),
            links=tuple(PublicLink(link.title, link.url) for link in project.links.all()),
        )


def public_project_count() -> int:
    return Project.objects.count()


def portfolio_changed_at() -> datetime.datetime | None:
    """The latest recorded change to a project or its history (edits of milestones etc. save the project).

    Changes to rows without a timestamp (a renamed field of action, a deleted project) are not seen here;
    callers that need them watch PUBLIC_ROW_SOURCES.
    """
    from django.db.models import Max

    latest = [
        Project.objects.aggregate(latest=Max("updated_at"))["latest"],
        ProjectVersion.objects.aggregate(latest=Max("recorded_at"))["latest"],
    ]
    latest = [value for value in latest if value is not None]
    return max(latest) if latest else None


def portfolio_first_created_at() -> datetime.datetime | None:
    from django.db.models import Min

    return Project.objects.aggregate(first=Min("created_at"))["first"]


def portfolio_date_range() -> tuple[datetime.date, datetime.date] | None:
    """The days the portfolio describes: its earliest start (planned, actual or first history entry)
    up to its latest planned or actual end, and at least up to today, since the statuses are today's."""
    from django.db.models import Max, Min
    from django.utils import timezone

    bounds = Project.objects.aggregate(
        planned_start=Min("planned_start"),
        actual_start=Min("actual_start"),
        planned_end=Max("planned_end"),
        actual_end=Max("actual_end"),
    )
    first_version = ProjectVersion.objects.aggregate(first=Min("effective_date"))["first"]
    starts = [d for d in (bounds["planned_start"], bounds["actual_start"], first_version) if d is not None]
    if not starts:
        return None
    today = timezone.localdate()
    start = min(starts)
    ends = [d for d in (bounds["planned_end"], bounds["actual_end"], today, start) if d is not None]
    return start, max(ends)


@dataclass(frozen=True)
class PublishedReportFiles:
    """A published report without its files' bytes: what describes it, and each file's size."""

    year: int
    as_of: datetime.date
    title: str
    published_at: datetime.datetime
    total_projects: int | None
    sizes: dict[str, int]  # "pdf", "csv" (annex), "json" (annex) -> bytes


# The stored file of each kind (see annual_report.publishing.stored_bytes).
REPORT_FILE_FIELDS = {"pdf": "report_pdf", "csv": "annex_csv", "json": "report_json"}


def published_report_files() -> list[PublishedReportFiles]:
    """Every published report, newest year first; sizes come from the database, not by loading files."""
    from django.db.models.functions import Length

    from stadtdigital.portfolio.models import PublishedReport

    reports = (
        PublishedReport.objects.only("year", "as_of", "title", "published_at", "figures")
        .annotate(**{f"size_{kind}": Length(field) for kind, field in REPORT_FILE_FIELDS.items()})
        .order_by("-year")
    )
    return [
        PublishedReportFiles(
            year=report.year,
            as_of=report.as_of,
            title=report.title,
            published_at=report.published_at,
            total_projects=(report.figures or {}).get("total_projects"),
            sizes={kind: getattr(report, f"size_{kind}") or 0 for kind in REPORT_FILE_FIELDS},
        )
        for report in reports
    ]


def published_report_file(year: int, kind: str) -> memoryview | None:
    """The frozen bytes of one file of a published report, without copying them; None if not published."""
    from stadtdigital.portfolio.models import PublishedReport

    value = PublishedReport.objects.filter(year=year).values_list(REPORT_FILE_FIELDS[kind], flat=True).first()
    # PostgreSQL returns memoryview, SQLite bytes: a view over either copies nothing.
    return None if value is None else memoryview(value)
