"""Writes to the portfolio. Every change of a reportable figure goes through here, so history stays whole."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stadtdigital.portfolio.models import Project, ProjectVersion

# Fields whose value "as of a date" must be reproducible; each change of one records a ProjectVersion.
VERSIONED_FIELDS = (
    "status",
    "field_of_action_id",
    "department_id",
    "planned_budget",
    "cost_to_date",
    "funding_amount",
)


@dataclass(frozen=True)
class ProjectChange:
    project: Project
    version: ProjectVersion | None


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100] or "projekt"
    slug, n = base, 2
    taken = Project.objects.exclude(pk=exclude_pk) if exclude_pk else Project.objects.all()
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _version_from(
    project: Project, effective_date: datetime.date, user=None, note: str = ""
) -> ProjectVersion:
    return ProjectVersion.objects.create(
        project=project,
        effective_date=effective_date,
        recorded_by=user if user is not None and user.is_authenticated else None,
        status=project.status,
        field_of_action_id=project.field_of_action_id,
        department_id=project.department_id,
        planned_budget=project.planned_budget,
        cost_to_date=project.cost_to_date,
        funding_amount=project.funding_amount,
        note=note,
    )


@transaction.atomic
def create_project(
    *, effective_date: datetime.date | None = None, user=None, partners=(), tags=(), **fields
) -> Project:
    """Creates a project and its first history entry (effective today unless a date is given)."""
    if not fields.get("slug"):
        fields["slug"] = unique_slug(fields["title"])
    project = Project(**fields)
    project.full_clean()
    project.save()
    if partners:
        project.partners.set(partners)
    if tags:
        project.tags.set(tags)
    _version_from(project, effective_date or timezone.localdate(), user, note="angelegt")
    return project


@transaction.atomic
def update_project(
    project: Project, *, effective_date: datetime.date | None = None, user=None, note: str = "", **changes
) -> ProjectChange:
    """Applies field changes; records a history entry when a versioned figure changed.

    `effective_date` is the day the change took effect (a status change may be entered late).
    """
    before = {name: getattr(project, name) for name in VERSIONED_FIELDS}
    for name, value in changes.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    after = {name: getattr(project, name) for name in VERSIONED_FIELDS}
    version = None
    if before != after:
        version = _version_from(project, effective_date or timezone.localdate(), user, note)
    return ProjectChange(project, version)


def change_status(
    project: Project, status: str, *, effective_date=None, user=None, note: str = ""
) -> ProjectChange:
    return update_project(project, status=status, effective_date=effective_date, user=user, note=note)
