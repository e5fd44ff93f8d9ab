"""Loads the synthetic demo portfolio through the service layer, so its history is whole.

Each project's history is planned from the catalogue with a random generator seeded by the project's title
(deterministic, independent of today's date) and then written in date order with `services.create_project`
and `services.update_project`, each change with its effective date.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from stadtdigital.core.models import Department, SyntheticDataMarker
from stadtdigital.core.text import german_slugify
from stadtdigital.portfolio import services
from stadtdigital.portfolio.demo import catalogue
from stadtdigital.portfolio.models import (
    KPI,
    FieldOfAction,
    Milestone,
    Partner,
    Project,
    ProjectLink,
    PublishedReport,
    Status,
    Tag,
)

D = datetime.date
DATASET = "portfolio"
HISTORY_START = D(2019, 1, 2)
REPORT_2021_AS_OF = D(2021, 6, 30)
REPORT_2022_AS_OF = D(2022, 6, 30)
# The demo's history ends here: no effective date is ever later, whatever today's date is.
HISTORY_END = D(2022, 12, 31)
PERIODS = {1: (D(2021, 7, 5), D(2022, 6, 20)), 2: (D(2022, 7, 1), D(2022, 12, 15))}
CHECKPOINTS = [D(y, m, d) for y in (2019, 2020, 2021, 2022) for m, d in ((6, 30), (12, 31))]
LETTERS = {
    "C": Status.COMPLETED,
    "I": Status.IMPLEMENTATION,
    "P": Status.PREPARATION,
    "X": Status.IDEA,
    "Z": Status.PAUSED,
    "E": Status.CANCELLED,
}
CENT = Decimal("0.01")
URL_BASE = "https://musterstadt.example"

Progress = Callable[[int, int], None]


@dataclass
class Reference:
    departments: dict[str, Department]
    fields: dict[str, FieldOfAction]
    field_specs: dict[str, catalogue.FieldSpec]
    partners: dict[str, Partner]
    tags: dict[str, Tag]


@dataclass
class LoadResult:
    created: int = 0
    skipped: int = 0
    already_loaded: bool = False
    published_report: PublishedReport | None = None
    messages: list[str] = field(default_factory=list)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _factor(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 4)))


def _rd(rng: random.Random, start: D, end: D) -> D:
    """A random day in [start, end] (start if the range is empty)."""
    days = max(0, (end - start).days)
    return start + datetime.timedelta(days=rng.randint(0, days))


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def ensure_reference_data() -> Reference:
    """Departments, fields of action, partners and tags of the demo; reuses rows that already exist."""
    departments = {}
    for slug, name, short_name, mailbox in catalogue.DEPARTMENTS:
        dept = Department.objects.filter(name=name).first() or Department.objects.filter(slug=slug).first()
        if dept is None:
            dept = Department.objects.create(
                name=name, short_name=short_name, slug=slug, email=f"{mailbox}@musterstadt.example"
            )
        departments[slug] = dept
    fields, specs = {}, {}
    for position, spec in enumerate(catalogue.FIELDS, start=1):
        foa = FieldOfAction.objects.filter(slug=spec.slug).first()
        foa = foa or FieldOfAction.objects.filter(name=spec.name).first()
        if foa is None:
            foa = FieldOfAction.objects.create(
                name=spec.name, slug=spec.slug, description=spec.description, position=position
            )
        fields[spec.key], specs[spec.key] = foa, spec
    partners = {
        name: Partner.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in catalogue.PARTNERS
    }
    tag_names = {name for spec in catalogue.FIELDS for name in spec.tags} | {"Förderprojekt"}
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in sorted(tag_names)}
    return Reference(departments, fields, specs, partners, tags)


def _rest_budget(specs: list[catalogue.ProjectSpec]) -> Decimal:
    fixed = sum(
        (Decimal(s.budget) for s in specs if s.status_2021 == "I" and s.budget not in ("-", "rest")),
        Decimal(0),
    )
    return money(catalogue.IMPLEMENTATION_BUDGET_2021 - fixed)


def _status_path(spec: catalogue.ProjectSpec, rng: random.Random) -> list[tuple[D, str]]:
    """The project's status changes as (effective date, status); the first entry is its creation."""
    P, I, C = Status.PREPARATION, Status.IMPLEMENTATION, Status.COMPLETED  # noqa: N806, E741
    s = spec.status_2021
    if s == "C":
        if spec.field in ("mob", "vk"):  # the pandemic spring of 2020 made these urgent
            c = _rd(rng, D(2020, 4, 15), D(2020, 12, 15))
            i = _rd(rng, D(2020, 3, 16), c - _days(30))
            d0 = _rd(rng, max(D(2019, 3, 1), i - _days(300)), i - _days(14))
        else:
            c = _rd(rng, D(2019, 10, 1), D(2021, 6, 20))
            i = _rd(rng, max(D(2019, 2, 1), c - _days(600)), c - _days(90))
            d0 = _rd(rng, max(HISTORY_START, i - _days(300)), i - _days(30))
        path = [(d0, P), (i, I), (c, C)]
    elif s == "I":
        if spec.budget == "rest":  # the DigitalPakt Schule started in 2019
            i = _rd(rng, D(2019, 9, 1), D(2020, 3, 1))
        else:
            i = _rd(rng, D(2019, 6, 1), D(2021, 6, 10))
        d0 = _rd(rng, max(HISTORY_START, i - _days(360)), i - _days(30))
        path = [(d0, P), (i, I)]
    elif s == "P":
        d0 = _rd(rng, D(2019, 3, 1), D(2021, 6, 15))
        if d0 <= D(2021, 5, 1) and rng.random() < 0.3:
            path = [(d0, Status.IDEA), (_rd(rng, d0 + _days(20), min(d0 + _days(150), D(2021, 6, 25))), P)]
        else:
            path = [(d0, P)]
    elif s == "X":
        path = [(_rd(rng, D(2020, 9, 1), D(2021, 6, 1)), Status.IDEA)]
    elif s == "Z":
        d0 = _rd(rng, D(2019, 3, 1), D(2020, 3, 1))
        i = _rd(rng, d0 + _days(60), d0 + _days(240))
        path = [(d0, P), (i, I), (_rd(rng, i + _days(60), D(2021, 6, 20)), Status.PAUSED)]
    elif s == "E":
        d0 = _rd(rng, D(2019, 9, 1), D(2020, 4, 1))
        i = _rd(rng, d0 + _days(45), d0 + _days(120))
        path = [(d0, P), (i, I), (_rd(rng, i + _days(120), D(2021, 5, 31)), Status.CANCELLED)]
    elif s == "N":
        path = []
    else:
        raise ValueError(f"unknown status letter {s!r} for {spec.title}")

    by_period: dict[int, list[str]] = {}
    for letter, period in spec.later:
        by_period.setdefault(period, []).append(letter)
    for period in sorted(by_period):
        letters = by_period[period]
        start, end = PERIODS[period]
        step = (end - start).days // len(letters)
        for n, letter in enumerate(letters):
            seg_start = start + _days(n * step)
            path.append((_rd(rng, seg_start + _days(5), seg_start + _days(step - 5)), LETTERS[letter]))
    return path


@dataclass
class _State:
    status: str
    budget: Decimal | None = None
    cost: Decimal | None = None
    funding: Decimal | None = None
    impl_date: D | None = None


@dataclass
class _Plan:
    fields: dict
    created: D
    changes: list[tuple[D, dict, str]]
    path: list[tuple[D, str]]
    funded: bool
    funding_source: str


def plan_project(
    spec: catalogue.ProjectSpec, ref: Reference, rng: random.Random, rest_budget: Decimal
) -> _Plan:
    """Plans one project's creation and every later change (with effective dates), without writing."""
    fspec = ref.field_specs[spec.field]
    path = _status_path(spec, rng)
    created, first_status = path[0]
    if spec.budget == "rest":
        target = rest_budget
    elif spec.budget != "-":
        target = money(spec.budget)
    else:
        low, high = fspec.budget_range
        target = money(rng.randrange(low, high, 100))
    funded = fspec.funding is not None and rng.random() < fspec.funding[1]
    share = _factor(rng, fspec.funding[2], fspec.funding[3]) if funded else Decimal(0)

    impl_dates = [d for d, s in path if s == Status.IMPLEMENTATION]
    completed = [d for d, s in path if s == Status.COMPLETED]
    if impl_dates:
        planned_start = impl_dates[0] + _days(rng.randint(-20, 60))
    elif first_status != Status.IDEA:
        planned_start = created + _days(rng.randint(120, 420))
    else:
        planned_start = None
    if completed:
        planned_end = completed[0] + _days(rng.randint(-60, 120))
    elif planned_start:
        planned_end = planned_start + _days(rng.randint(300, 1000))
    else:
        planned_end = None

    def estimate() -> Decimal:
        return money((target * _factor(rng, 0.8, 1.2)).quantize(Decimal(1000)))

    state = _State(first_status, budget=None if first_status == Status.IDEA else estimate())
    dept = ref.departments[spec.department]
    priority = fspec.priority
    if rng.random() < 0.15:
        priority = {"high": "medium", "medium": "low"}.get(priority, priority)
    fields = {
        "title": spec.title,
        "slug": german_slugify(spec.title)[:100],
        "summary": spec.summary,
        "field_of_action": ref.fields[spec.field],
        "department": dept,
        "status": first_status,
        "contact_person": f"Projektleitung {dept.name} (Demodaten)",
        "internal_notes": "Synthetisches Demoprojekt. Interne Notizen stehen nie auf öffentlichen Seiten.",
        "planned_start": planned_start,
        "planned_end": planned_end,
        "planned_budget": state.budget,
        "priority": priority,
        "is_synthetic": True,
    }

    # Timed events: status changes (0), budget revisions (1), half-yearly cost statements (2).
    events: list[tuple[D, int, str]] = [(d, 0, s) for d, s in path[1:]]
    if impl_dates:
        impl_end = next((d for d, s in path if d > impl_dates[-1]), HISTORY_END)
        window = (max(impl_dates[-1] + _days(30), D(2021, 8, 1)), min(impl_end - _days(10), D(2022, 5, 31)))
        if window[0] < window[1] and (spec.budget == "rest" or rng.random() < 0.35):
            events.append((_rd(rng, *window), 1, ""))
    events += [(d, 2, "") for d in CHECKPOINTS if created < d <= HISTORY_END]
    events.sort(key=lambda e: (e[0], e[1]))

    changes: list[tuple[D, dict, str]] = []
    for day, kind, new_status in events:
        change: dict = {}
        note = ""
        if kind == 0:
            change["status"] = new_status
            if new_status == Status.PREPARATION:
                if state.budget is None:
                    change["planned_budget"] = estimate()
                note = "Konzeptphase begonnen"
            elif new_status == Status.IMPLEMENTATION:
                if state.status == Status.PAUSED:
                    note = "Projekt wieder aufgenommen"
                else:
                    change["planned_budget"] = target
                    change["actual_start"] = day
                    if funded:
                        change["funding_amount"] = money((target * share).quantize(Decimal(100)))
                        change["funding_source"] = fspec.funding[0]
                    note = "Projektbeschluss: Umsetzung begonnen, Budget festgelegt"
                    state.impl_date = day
            elif new_status == Status.COMPLETED:
                change["cost_to_date"] = money(state.budget * _factor(rng, 0.9, 1.04))
                change["actual_end"] = day
                note = "Projekt abgeschlossen und in den Betrieb übergeben"
            elif new_status == Status.PAUSED:
                note = "Projekt pausiert"
            elif new_status == Status.CANCELLED:
                note = "Projekt eingestellt"
        elif kind == 1 and state.status == Status.IMPLEMENTATION:
            factor = _factor(rng, 1.08, 1.16) if spec.budget == "rest" else _factor(rng, 1.03, 1.18)
            change["planned_budget"] = money((state.budget * factor).quantize(Decimal(100)))
            if state.funding:
                change["funding_amount"] = money((state.funding * factor).quantize(Decimal(100)))
            note = "Budget fortgeschrieben (Nachtrag)"
        elif kind == 2 and state.status == Status.IMPLEMENTATION and (day - state.impl_date).days >= 45:
            duration = max(240, ((planned_end or HISTORY_END) - state.impl_date).days)
            progress = min(0.95, (day - state.impl_date).days / duration) * rng.uniform(0.85, 1.05)
            cost = max(state.cost or Decimal(0), money(state.budget * Decimal(str(round(progress, 4)))))
            if cost != state.cost:
                change["cost_to_date"] = cost
                note = f"Kostenstand zum {day:%d.%m.%Y}"
        if not change:
            continue
        state.status = change.get("status", state.status)
        state.budget = change.get("planned_budget", state.budget)
        state.cost = change.get("cost_to_date", state.cost)
        state.funding = change.get("funding_amount", state.funding)
        changes.append((day, change, note))
    return _Plan(fields, created, changes, path, funded, fspec.funding[0] if funded else "")


def _description(spec: catalogue.ProjectSpec, fspec: catalogue.FieldSpec, partners, plan: _Plan) -> str:
    parts = [spec.summary, f"Das Projekt gehört zum Handlungsfeld „{fspec.name}“. {fspec.description}"]
    if partners:
        names = [p.name for p in partners]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]
        parts.append(f"Partner im Projekt: {joined}.")
    if plan.funded:
        parts.append(f"Das Projekt wird aus dem Programm „{plan.funding_source}“ gefördert.")
    return "\n\n".join(parts)


def _details(project: Project, spec: catalogue.ProjectSpec, fspec, plan: _Plan, rng: random.Random):
    """Milestones, KPIs and links of a project, consistent with its planned history."""
    path = plan.path
    impl = next((d for d, s in path if s == Status.IMPLEMENTATION), None)
    done = next((d for d, s in path if s == Status.COMPLETED), None)
    stopped = next((d for d, s in path if s in (Status.PAUSED, Status.CANCELLED) and impl and d > impl), None)
    created = plan.created
    milestones = []

    def add(title, due, done_on=None):
        if done_on is not None and done_on > HISTORY_END:
            done_on = None
        milestones.append(Milestone(project=project, title=title, due=due, done_on=done_on))

    def between(low: float, high: float) -> D:
        """A day at a random fraction (low..high) of the way from creation to the start of implementation."""
        return created + _days(round((impl - created).days * rng.uniform(low, high)))

    if path[0][1] == Status.IDEA and impl is None:
        add("Machbarkeit geprüft", created + _days(rng.randint(150, 300)))
    elif impl:
        add("Projektauftrag erteilt", between(0.1, 0.1), between(0.02, 0.15))
        add("Konzept abgestimmt", between(0.5, 0.5), between(0.35, 0.65))
        add("Vergabe abgeschlossen", between(0.9, 0.9), between(0.8, 1.0))
    else:
        add("Projektauftrag erteilt", created + _days(14), created + _days(rng.randint(5, 30)))
    if impl:
        pilot_due = impl + _days(rng.randint(90, 180))
        limit = done or stopped or HISTORY_END
        pilot_done = pilot_due + _days(rng.randint(-15, 45))
        if done and pilot_done >= done:  # a completed project had its pilot before completion
            pilot_due = pilot_done = impl + (done - impl) / 2
        if spec.field == "ki":
            title = "Erstes Handschriftenmodell trainiert"
        elif spec.field == "am":
            title = "Start des Reallabors in drei Stadtteilen"
        else:
            title = "Pilotbetrieb gestartet"
        add(title, pilot_due, pilot_done if pilot_done <= limit else None)
        if done:
            final = "Go-live des Ratsinformationssystems" if "Ratsinformationssystem" in spec.title else None
            add(final or "Abnahme und Übergabe in den Betrieb", project.planned_end or done, done)
        elif not stopped:
            add("Abschluss der Umsetzung", project.planned_end)
    elif path[-1][1] != Status.IDEA:
        concept_due = created + _days(rng.randint(90, 240))
        concept_done = concept_due + _days(rng.randint(-10, 40)) if rng.random() < 0.6 else None
        add("Konzept abgestimmt", concept_due, concept_done)
        add("Haushaltsmittel beantragt", project.planned_start)

    kpis = []
    name, unit, target = fspec.kpi
    if unit != "%":
        target = max(1, round(target * rng.uniform(0.15, 0.6)))
    target = Decimal(target)
    if done:
        current = target if unit == "%" else money(target * _factor(rng, 0.95, 1.12)).quantize(Decimal(1))
        kpis.append(KPI(project=project, name=name, unit=unit, target=target, current=current, as_of=done))
    elif impl:
        share = min(Decimal("0.9"), Decimal((HISTORY_END - impl).days) / Decimal(900))
        current = money(target * share).quantize(Decimal(1))
        kpis.append(
            KPI(project=project, name=name, unit=unit, target=target, current=current, as_of=HISTORY_END)
        )
    elif path[-1][1] == Status.PREPARATION:
        kpis.append(KPI(project=project, name=name, unit=unit, target=target))

    links = [
        ProjectLink(
            project=project,
            title="Projektseite (Beispieladresse)",
            url=f"{URL_BASE}/digital/projekte/{project.slug}",
        )
    ]
    if impl:
        number = rng.randint(10, 240)
        links.append(
            ProjectLink(
                project=project,
                title=f"Gemeinderatsvorlage {impl.year}/{number:03d} (Beispieladresse)",
                url=f"https://ratsinfo.musterstadt.example/vorlagen/{impl.year}-{number:03d}",
            )
        )
    return milestones, kpis, links


def _create_project(spec, ref: Reference, rest_budget: Decimal) -> Project:
    rng = random.Random(f"stadtdigital-demo:{spec.title}")
    fspec = ref.field_specs[spec.field]
    plan = plan_project(spec, ref, rng, rest_budget)
    candidates = list(fspec.partners)
    partners = [
        ref.partners[n]
        for n in rng.sample(candidates, k=min(len(candidates), rng.choice([0, 1, 1, 2, 2, 3])))
    ]
    tag_names = [fspec.tags[0], *rng.sample(fspec.tags[1:], k=rng.randint(0, min(2, len(fspec.tags) - 1)))]
    if plan.funded:
        tag_names.append("Förderprojekt")
    plan.fields["description"] = _description(spec, fspec, partners, plan)
    project = services.create_project(
        effective_date=plan.created, partners=partners, tags=[ref.tags[n] for n in tag_names], **plan.fields
    )
    for day, change, note in plan.changes:
        services.update_project(project, effective_date=day, note=note, **change)
    milestones, kpis, links = _details(project, spec, fspec, plan, rng)
    Milestone.objects.bulk_create(milestones)
    KPI.objects.bulk_create(kpis)
    ProjectLink.objects.bulk_create(links)
    return project


def demo_loaded() -> bool:
    return SyntheticDataMarker.objects.filter(dataset=DATASET).exists()


def load_demo_portfolio(*, publish: bool = True, progress: Progress | None = None) -> LoadResult:
    """Loads the demo portfolio once; later calls change nothing (except publishing a missing report).

    `publish=False` skips publishing the 2021 report (tests of the figures only).
    """
    result = LoadResult()
    if demo_loaded():
        result.already_loaded = True
    else:
        specs = catalogue.project_specs()
        with transaction.atomic():
            ref = ensure_reference_data()
            rest = _rest_budget(specs)
            existing = set(Project.objects.values_list("slug", flat=True))
            for n, spec in enumerate(specs, start=1):
                if german_slugify(spec.title)[:100] in existing:
                    result.skipped += 1
                else:
                    _create_project(spec, ref, rest)
                    result.created += 1
                if progress:
                    progress(n, len(specs))
            SyntheticDataMarker.objects.get_or_create(dataset=DATASET)
    if publish:
        result.published_report = publish_demo_report()
    return result


def publish_demo_report() -> PublishedReport | None:
    """Publishes the Digitalisierungsbericht as of 2021-06-30 unless a report for 2021 exists."""
    if PublishedReport.objects.filter(year=REPORT_2021_AS_OF.year).exists():
        return None
    from stadtdigital.portfolio.annual_report.publishing import publish_report

    report = publish_report(as_of=REPORT_2021_AS_OF, year=REPORT_2021_AS_OF.year)
    PublishedReport.objects.filter(pk=report.pk).update(is_synthetic=True)
    report.is_synthetic = True
    return report
