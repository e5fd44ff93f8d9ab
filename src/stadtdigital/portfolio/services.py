"""Writes to the portfolio. Every change of a reportable figure goes through here, so history stays whole."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stadtdigital.core.text import german_slugify
from stadtdigital.portfolio.models import VERSIONED_FIELDS, Project, ProjectVersion


@dataclass(frozen=True)
class ProjectChange:
    project: Project
    version: ProjectVersion | None


# Path segments the back office uses next to /verwaltung/projekte/<slug>/.
RESERVED_SLUGS = frozenset({"neu"})


def slug_base(title: str) -> str:
    """The slug a title suggests, before a number is added to make it unique."""
    base = german_slugify(title)[:100] or "projekt"
    return f"{base}-projekt" if base in RESERVED_SLUGS else base


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slug_base(title)
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
    _version_from(project, effective_date or timezone.localdate(), user)
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


# --- Back office: one transaction per saved form ------------------------------------------------------

# Project fields the back office form edits (everything but slug, M2M and bookkeeping).
EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "field_of_action",
    "department",
    "status",
    "priority",
    "contact_person",
    "internal_notes",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "planned_budget",
    "cost_to_date",
    "funding_amount",
    "funding_source",
)


def tags_from_names(names) -> list:
    """The Tag rows for the given names, created if missing (matched case-insensitively)."""
    from stadtdigital.portfolio.models import Tag

    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


def partner_named(name: str, kind: str = ""):
    from stadtdigital.portfolio.models import Partner, PartnerKind

    partner = Partner.objects.filter(name__iexact=name.strip()).first()
    return partner or Partner.objects.create(name=name.strip(), kind=kind or PartnerKind.OTHER)


class NotAllowed(PermissionError):
    """The user may not make this change (checked again here, whatever the view did)."""


@transaction.atomic
def save_project(
    project: Project | None,
    *,
    user,
    data: dict,
    partners=(),
    tag_names=(),
    effective_date: datetime.date | None = None,
    note: str = "",
    formsets=(),
) -> ProjectChange:
    """Creates or updates a project from the back office, with its M2M and inline rows, all or nothing.

    `data` holds EDITABLE_FIELDS; a change of a versioned figure records a ProjectVersion with `user`,
    `effective_date` and `note`. `formsets` are validated inline formsets; they are saved for the project.
    """
    from stadtdigital.portfolio import permissions

    fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    if project is None or project.pk is None:
        if not permissions.can_create_project_for(user, fields["department"]):
            raise NotAllowed("department")
        project = create_project(effective_date=effective_date, user=user, **fields)
        version = project.versions.first()
        if note and version is not None:
            version.note = note
            version.save(update_fields=["note"])
        change = ProjectChange(project, version)
    else:
        # Compare against the stored row, not the instance a ModelForm has already changed.
        project = Project.objects.select_for_update().get(pk=project.pk)
        if not permissions.can_edit_project(user, project):
            raise NotAllowed("project")
        new_department = fields.get("department")
        moved = new_department is not None and new_department.pk != project.department_id
        if moved and not permissions.can_create_project_for(user, new_department):
            raise NotAllowed("department")
        change = update_project(project, effective_date=effective_date, user=user, note=note, **fields)
    project.partners.set(partners)
    project.tags.set(tags_from_names(tag_names))
    for formset in formsets:
        formset.instance = project
        formset.save()
    return change
