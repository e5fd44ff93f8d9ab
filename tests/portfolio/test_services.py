"""services.save_project: all-or-nothing writes with history, and permission checks of its own."""

import datetime
from decimal import Decimal

import pytest

from stadtdigital.portfolio import services
from stadtdigital.portfolio.models import Project, Status, Tag


def data_of(project, **changes):
    data = {name: getattr(project, name) for name in services.EDITABLE_FIELDS}
    data.update(changes)
    return data


def test_update_compares_with_stored_row_not_the_passed_instance(make_project, digital_office_user):
    project = make_project()
    project.status = Status.COMPLETED  # e.g. a ModelForm already wrote the new value onto the instance
    change = services.save_project(
        project,
        user=digital_office_user,
        data=data_of(project),
        effective_date=datetime.date(2022, 6, 30),
        note="fertig",
    )
    assert change.version is not None
    assert (change.version.status, change.version.effective_date) == ("completed", datetime.date(2022, 6, 30))
    assert change.version.recorded_by == digital_office_user


def test_create_records_first_version_with_user_date_and_note(
    digital_office_user, field_of_action, department
):
    project = Project(title="Open-Data-Portal", field_of_action=field_of_action, department=department)
    change = services.save_project(
        None,
        user=digital_office_user,
        data=data_of(project, planned_budget=Decimal("1.10")),
        tag_names=["Offene Daten"],
        effective_date=datetime.date(2021, 1, 1),
        note="Ratsbeschluss",
    )
    version = change.project.versions.get()
    assert (version.effective_date, version.recorded_by, version.note) == (
        datetime.date(2021, 1, 1),
        digital_office_user,
        "Ratsbeschluss",
    )
    assert list(change.project.tags.values_list("name", flat=True)) == ["Offene Daten"]


def test_department_user_cannot_save_foreign_project_even_bypassing_views(
    make_project, department_user, other_department
):
    project = make_project(department=other_department)
    with pytest.raises(services.NotAllowed):
        services.save_project(project, user=department_user, data=data_of(project, title="x"))
    project.refresh_from_db()
    assert project.title == "Tablets für Grundschulen"


def test_failure_after_partial_write_rolls_everything_back(make_project, digital_office_user):
    project = make_project()

    class BrokenFormSet:
        instance = None

        def save(self):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        services.save_project(
            project,
            user=digital_office_user,
            data=data_of(project, status=Status.COMPLETED),
            tag_names=["Verloren"],
            formsets=[BrokenFormSet()],
        )
    project.refresh_from_db()
    assert project.status == Status.PREPARATION
    assert project.versions.count() == 1
    assert not Tag.objects.exists()


def test_tags_are_reused_case_insensitively(db):
    first = services.tags_from_names(["WLAN"])
    assert services.tags_from_names(["wlan"]) == first
    assert Tag.objects.count() == 1


def test_generated_slug_spells_umlauts_and_avoids_reserved_paths(make_project):
    assert make_project("Mängelmelder").slug == "maengelmelder"
    assert make_project("Neu").slug == "neu-projekt"
