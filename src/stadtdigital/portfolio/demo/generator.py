"""Bulk generation of synthetic projects with history, for benchmarks (e.g. 10,000 projects in seconds).

Writes Project and ProjectVersion rows with bulk_create instead of the service layer, but keeps its
invariants: every project has a first version, versions are in date order, and the project's current
reportable fields equal its latest version.
"""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from stadtdigital.core.models import SyntheticDataMarker
from stadtdigital.portfolio.demo import catalogue
from stadtdigital.portfolio.demo.loader import (
    HISTORY_END,
    HISTORY_START,
    _days,
    _factor,
    _rd,
    ensure_reference_data,
    money,
)
from stadtdigital.portfolio.models import KPI, Milestone, Project, ProjectVersion, Status

DATASET = "generated"
BATCH = 1000
DISTRICTS = (
    "Altstadt",
    "Nordstadt",
    "Südviertel",
    "Oststadt",
    "Westend",
    "Hafen",
    "Bahnhofsviertel",
    "Gartenstadt",
    "Am Weinberg",
    "Neckarvorstadt",
)


def _history(rng: random.Random) -> list[tuple[datetime.date, str]]:
    """A random status path from creation to (at most) HISTORY_END."""
    created = _rd(rng, HISTORY_START, HISTORY_END - _days(60))
    path = [(created, Status.IDEA if rng.random() < 0.1 else Status.PREPARATION)]
    day = created
    if path[0][1] == Status.IDEA:
        day += _days(rng.randint(20, 200))
        if day > HISTORY_END or rng.random() < 0.3:
            return path
        path.append((day, Status.PREPARATION))
    day += _days(rng.randint(30, 420))
    if day > HISTORY_END or rng.random() < 0.25:
        if rng.random() < 0.05 and day <= HISTORY_END:
            path.append((day, Status.CANCELLED))
        return path
    path.append((day, Status.IMPLEMENTATION))
    day += _days(rng.randint(120, 720))
    if day > HISTORY_END:
        return path
    roll = rng.random()
    path.append(
        (day, Status.PAUSED if roll < 0.04 else Status.CANCELLED if roll < 0.07 else Status.COMPLETED)
    )
    return path


def generate_portfolio(
    count: int, *, seed: int = 0, progress: Callable[[int, int], None] | None = None
) -> int:
    """Creates `count` more synthetic projects with history; returns how many were created.

    Deterministic for a given seed and number of projects already generated with it; calling it again
    adds further projects (slugs `generiert-<seed>-<n>`), it never replaces any.
    """
    ref = ensure_reference_data()
    specs = [s for s in catalogue.project_specs() if s.status_2021 != "N"]
    prefix = f"generiert-{seed}-"
    start = Project.objects.filter(slug__startswith=prefix).count()
    rng = random.Random(f"stadtdigital-generate:{seed}:{start}")
    tag_through = Project.tags.through
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        projects, histories = [], []
        for k in range(n):
            index = start + done + k
            spec = rng.choice(specs)
            fspec = ref.field_specs[spec.field]
            path = _history(rng)
            low, high = fspec.budget_range
            budget = money(rng.randrange(low, high * 3, 100))
            funding = (
                money((budget * _factor(rng, 0.3, 0.8)).quantize(Decimal(100))) if fspec.funding else None
            )
            versions = []
            cost = None
            impl = None
            for day, status in path:
                if status == Status.IMPLEMENTATION:
                    impl = day
                    cost = money(budget * _factor(rng, 0.05, 0.2))
                elif status == Status.COMPLETED:
                    cost = money(budget * _factor(rng, 0.9, 1.05))
                versions.append((day, status, budget, cost, funding if impl else None))
            if path[-1][1] == Status.IMPLEMENTATION:  # one cost statement while running
                day = min(HISTORY_END, path[-1][0] + _days(rng.randint(60, 400)))
                cost = money(budget * _factor(rng, 0.3, 0.8))
                versions.append((day, Status.IMPLEMENTATION, budget, cost, funding))
            last = versions[-1]
            district = rng.choice(DISTRICTS)
            projects.append(
                Project(
                    title=f"{spec.title} ({district}, Los {index + 1})"[:200],
                    slug=f"{prefix}{index + 1:06d}",
                    summary=spec.summary,
                    description=f"{spec.summary}\n\nSynthetisch erzeugtes Projekt im Stadtteil {district}.",
                    field_of_action=ref.fields[spec.field],
                    department=ref.departments[spec.department],
                    status=last[1],
                    planned_start=impl or path[0][0] + _days(180),
                    planned_end=(impl or path[0][0]) + _days(rng.randint(300, 900)),
                    actual_start=impl,
                    actual_end=path[-1][0] if path[-1][1] == Status.COMPLETED else None,
                    planned_budget=last[2],
                    cost_to_date=last[3],
                    funding_amount=last[4],
                    funding_source=fspec.funding[0] if fspec.funding and last[4] else "",
                    priority=rng.choice(("high", "medium", "medium", "low")),
                    is_synthetic=True,
                )
            )
            histories.append((versions, fspec, [ref.tags[fspec.tags[0]].pk]))
        with transaction.atomic():
            Project.objects.bulk_create(projects, batch_size=500)
            if any(p.pk is None for p in projects):  # databases that cannot return ids from bulk inserts
                ids = dict(
                    Project.objects.filter(slug__in=[p.slug for p in projects]).values_list("slug", "pk")
                )
                for p in projects:
                    p.pk = ids[p.slug]
            rows, milestones, kpis, tags = [], [], [], []
            for project, (versions, fspec, tag_ids) in zip(projects, histories, strict=True):
                for day, status, budget, cost, funding in versions:
                    rows.append(
                        ProjectVersion(
                            project_id=project.pk,
                            effective_date=day,
                            status=status,
                            field_of_action_id=project.field_of_action_id,
                            department_id=project.department_id,
                            planned_budget=budget,
                            cost_to_date=cost,
                            funding_amount=funding,
                            note="",
                        )
                    )
                start_day = versions[0][0]
                milestones.append(
                    Milestone(
                        project_id=project.pk,
                        title="Projektauftrag erteilt",
                        due=start_day,
                        done_on=start_day,
                    )
                )
                milestones.append(
                    Milestone(
                        project_id=project.pk,
                        title="Abschluss der Umsetzung",
                        due=project.planned_end,
                        done_on=project.actual_end,
                    )
                )
                name, unit, target = fspec.kpi
                kpis.append(KPI(project_id=project.pk, name=name, unit=unit, target=Decimal(target)))
                tags += [tag_through(project_id=project.pk, tag_id=t) for t in tag_ids]
            ProjectVersion.objects.bulk_create(rows, batch_size=1000)
            Milestone.objects.bulk_create(milestones, batch_size=1000)
            KPI.objects.bulk_create(kpis, batch_size=1000)
            tag_through.objects.bulk_create(tags, batch_size=1000)
        done += n
        if progress:
            progress(done, count)
    if count:
        SyntheticDataMarker.objects.get_or_create(dataset=DATASET)
    return count
