"""Existing projects are updated through the service layer, so the history records what changed and when."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from stadtdigital.portfolio.importing import Action, import_portfolio
from stadtdigital.portfolio.models import Project, ProjectVersion, Status

HEADERS = [
    "Kennung",
    "Titel",
    "Handlungsfeld",
    "Status",
    "Status seit",
    "Fachbereich",
    "Budget geplant (EUR)",
]


def csv_file(*rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def project(make_project):
    # Created 15.01.2020 "in Vorbereitung" with a budget of 150.000,00.
    return make_project("Tablets für Grundschulen", slug="tablets")


def row(status="in Vorbereitung", since="", budget="150.000,00", title="Tablets für Grundschulen"):
    return ["tablets", title, "Schulen und Bildung", status, since, "AfD", budget]


def test_status_change_is_recorded_effective_at_status_seit_by_the_importing_user(
    project, digital_office_user
):
    result = import_portfolio(
        csv_file(row(status="in Umsetzung", since="01.09.2020")), "portfolio.csv", user=digital_office_user
    )

    assert [plan.action for plan in result.plans] == [Action.UPDATE]
    version = project.versions.latest("id")
    assert (version.status, version.effective_date) == (Status.IMPLEMENTATION, datetime.date(2020, 9, 1))
    assert version.recorded_by == digital_office_user
    assert version.note == "Import aus portfolio.csv"
    project.refresh_from_db()
    assert project.status == Status.IMPLEMENTATION


def test_status_change_without_date_takes_effect_today(project):
    import_portfolio(csv_file(row(status="implementation")), "portfolio.csv")
    assert project.versions.latest("id").effective_date == timezone.localdate()


def test_figure_change_without_status_change_takes_effect_today_not_at_the_old_status_date(project):
    import_portfolio(csv_file(row(since="15.01.2020", budget="175.000,00")), "portfolio.csv")
    version = project.versions.latest("id")
    assert (version.planned_budget, version.effective_date) == (Decimal("175000.00"), timezone.localdate())


def test_unchanged_row_records_no_history_and_touches_nothing(project):
    updated_at = Project.objects.get(pk=project.pk).updated_at
    result = import_portfolio(csv_file(row(since="15.01.2020")), "portfolio.csv")
    assert [plan.action for plan in result.plans] == [Action.UNCHANGED]
    assert project.versions.count() == 1
    assert Project.objects.get(pk=project.pk).updated_at == updated_at


def test_text_change_updates_without_history_entry(project):
    import_portfolio(csv_file(row(title="Tablets für alle Grundschulen")), "portfolio.csv")
    project.refresh_from_db()
    assert project.title == "Tablets für alle Grundschulen"
    assert project.versions.count() == 1  # the title is not a reportable figure


def test_status_change_dated_before_the_last_history_entry_is_rejected(project):
    result = import_portfolio(csv_file(row(status="abgeschlossen", since="01.01.2019")), "portfolio.csv")
    assert [str(p) for p in result.problems] == [
        "Zeile 2, Spalte 'Status seit': Statusänderung zum 01.01.2019 liegt vor dem letzten Eintrag "
        "der Historie (15.01.2020)"
    ]
    project.refresh_from_db()
    assert project.status == Status.PREPARATION


def test_new_project_history_starts_at_status_seit(db, department, field_of_action):
    import_portfolio(
        csv_file(["", "Glasfaser", "Schulen und Bildung", "abgeschlossen", "30.06.2021", "AfD", "1.000,00"]),
        "portfolio.csv",
    )
    version = ProjectVersion.objects.get(project__slug="glasfaser")
    assert (version.status, version.effective_date) == (Status.COMPLETED, datetime.date(2021, 6, 30))


def test_generated_kennung_never_collides_with_one_claimed_later_in_the_file(db, department, field_of_action):
    result = import_portfolio(
        csv_file(
            ["", "Open Data", "Schulen und Bildung", "Idee", "", "AfD", ""],
            ["open-data", "Offene Daten", "Schulen und Bildung", "Idee", "", "AfD", ""],
        ),
        "portfolio.csv",
    )
    assert result.ok
    assert dict(Project.objects.values_list("slug", "title")) == {
        "open-data-2": "Open Data",
        "open-data": "Offene Daten",
    }


def test_columns_missing_from_the_file_are_left_as_they_are(project):
    project.contact_person = "Frau Muster"
    project.save()
    project.milestones.create(title="Ausschreibung")
    import_portfolio(
        csv_file(
            ["tablets", "Tablets", "Schulen und Bildung", "in Vorbereitung", "AfD"],
            headers=["Kennung", "Titel", "Handlungsfeld", "Status", "Fachbereich"],
        ),
        "portfolio.csv",
    )
    project.refresh_from_db()
    assert (project.title, project.contact_person, project.planned_budget) == (
        "Tablets",
        "Frau Muster",
        Decimal("150000.00"),
    )
    assert list(project.milestones.values_list("title", flat=True)) == ["Ausschreibung"]


def test_list_columns_replace_the_projects_entries_and_empty_cells_clear_values(project):
    project.milestones.create(title="Alt")
    headers = [*HEADERS, "Meilensteine", "Kennzahlen"]
    import_portfolio(
        csv_file(
            [*row(budget=""), "Neu | fällig: 31.12.2021 | erreicht: 15.12.2021", ""],
            headers=headers,
        ),
        "portfolio.csv",
    )
    project.refresh_from_db()
    assert project.planned_budget is None
    assert list(project.milestones.values_list("title", "due", "done_on")) == [
        ("Neu", datetime.date(2021, 12, 31), datetime.date(2021, 12, 15))
    ]
