"""A file with any problem changes nothing, and every problem is reported with row, column and reason."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stadtdigital.portfolio import services
from stadtdigital.portfolio.importing import Problem, import_portfolio
from stadtdigital.portfolio.models import KPI, FieldOfAction, Milestone, Partner, Project, ProjectVersion, Tag

HEADERS = ["Kennung", "Titel", "Handlungsfeld", "Status", "Fachbereich", "Budget geplant (EUR)"]


def csv_file(*rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def database_snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Project, ProjectVersion, FieldOfAction, Partner, Tag, Milestone, KPI)
    } | {"projects": list(Project.objects.values_list("slug", "status", "planned_budget").order_by("slug"))}


@pytest.fixture
def existing(make_project):
    return make_project("Tablets für Grundschulen", slug="tablets")


def test_one_bad_row_changes_nothing_and_names_that_row_and_column(existing):
    before = database_snapshot()
    data = csv_file(
        ["tablets", "Tablets für Grundschulen", "Schulen und Bildung", "in Umsetzung", "AfD", "200.000,00"],
        ["", "Glasfaser", "Neues Handlungsfeld", "Idee", "AfD", "1.000,00"],
        ["ratsinfo", "Ratsinformationssystem", "Schulen und Bildung", "Idee", "AfD", "13,5 Mio"],
    )

    result = import_portfolio(data, "portfolio.csv")

    assert result.problems == [Problem(4, "Budget geplant (EUR)", "'13,5 Mio' ist kein Betrag")]
    assert str(result.problems[0]) == "Zeile 4, Spalte 'Budget geplant (EUR)': '13,5 Mio' ist kein Betrag"
    assert database_snapshot() == before


def test_every_problem_in_the_file_is_reported_not_only_the_first(existing):
    data = csv_file(
        ["", "", "Schulen und Bildung", "fertig", "Unbekanntes Amt", "-5"],
        ["", "Gut", "Schulen und Bildung", "Idee", "AfD", "1.234"],
    )

    result = import_portfolio(data, "portfolio.csv")

    reported = {(p.row, p.column) for p in result.problems}
    assert reported == {
        (2, "Titel"),
        (2, "Status"),
        (2, "Fachbereich"),
        (2, "Budget geplant (EUR)"),
        (3, "Budget geplant (EUR)"),
    }
    assert Project.objects.count() == 1


def test_failure_while_writing_rolls_back_rows_already_written(existing, monkeypatch):
    """The check passed, but writing the last row fails (e.g. a concurrent edit): nothing stays written."""
    data = csv_file(
        ["", "Neu", "Schulen und Bildung", "Idee", "AfD", ""],
        ["tablets", "Tablets für Grundschulen", "Schulen und Bildung", "in Umsetzung", "AfD", "1,00"],
    )
    before = database_snapshot()

    def fail(*args, **kwargs):
        raise ValidationError("gleichzeitig geändert")

    monkeypatch.setattr(services, "update_project", fail)
    result = import_portfolio(data, "portfolio.csv")

    assert not result.ok
    assert "nichts wurde geändert" in str(result.problems[0])
    assert database_snapshot() == before


def test_dry_run_reports_the_plan_and_writes_nothing(existing):
    before = database_snapshot()
    data = csv_file(
        ["tablets", "Tablets für Grundschulen", "Schulen und Bildung", "in Umsetzung", "AfD", "150.000,00"],
        ["", "Glasfaser für Gewerbegebiete", "Breitband", "Idee", "AfD", ""],
    )

    result = import_portfolio(data, "portfolio.csv", dry_run=True)

    assert result.ok
    assert [(p.row, p.slug) for p in result.updated] == [(2, "tablets")]
    assert [(p.row, p.slug) for p in result.created] == [(3, "glasfaser-fuer-gewerbegebiete")]
    assert result.new_fields_of_action == ["Breitband"]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Titel", "Handlungsfeld", "Status"], "Zeile 1: Pflichtspalte 'Fachbereich' fehlt"),
        (
            HEADERS + ["Budget"],
            "Zeile 1, Spalte 'Budget': unbekannte Spalte (gemeint: 'Budget geplant (EUR)'?)",
        ),
        (HEADERS + ["titel"], "Zeile 1, Spalte 'titel': Spalte kommt mehrfach vor"),
        (["Titel", "", *HEADERS[2:]], "Zeile 1: Spalte 2 hat keine Überschrift"),
    ],
)
def test_header_problems_are_reported_before_any_row(db, headers, expected):
    result = import_portfolio(csv_file(["x"] * len(headers), headers=headers), "portfolio.csv")
    assert expected in [str(p) for p in result.problems]


def test_duplicate_kennung_within_the_file_is_an_error(db, department, field_of_action):
    data = csv_file(
        ["tablets", "A", "Schulen und Bildung", "Idee", "AfD", ""],
        ["tablets", "B", "Schulen und Bildung", "Idee", "AfD", ""],
    )
    result = import_portfolio(data, "portfolio.csv")
    assert [str(p) for p in result.problems] == [
        "Zeile 3, Spalte 'Kennung': Kennung 'tablets' kommt mehrfach vor (zuerst in Zeile 2)"
    ]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"", "p.csv", "Die Datei ist leer"),
        (";".join(HEADERS).encode(), "p.csv", "Die Datei enthält keine Projektzeilen"),
        (b"\xff\xfeT\x00i\x00", "p.csv", "nicht UTF-8-kodiert"),
        (b"Titel", "p.pdf", "'.pdf' wird nicht unterstützt"),
    ],
)
def test_unreadable_files_are_one_clear_problem(db, data, filename, expected):
    result = import_portfolio(data, filename)
    assert len(result.problems) == 1
    assert expected in str(result.problems[0])


def test_model_validation_is_reported_in_the_users_column(db, department, field_of_action):
    data = csv_file(["Tablets für Schulen", "x" * 201, "Schulen und Bildung", "Idee", "AfD", ""])
    result = import_portfolio(data, "portfolio.csv")
    assert {p.column for p in result.problems} == {"Kennung", "Titel"}
    assert all(p.row == 2 for p in result.problems)


def test_upload_limit_is_ten_megabytes_by_default():
    # The limit became a setting (PORTFOLIO_IMPORT_MAX_UPLOAD_MB); its default stays 10 MB.
    from stadtdigital import settings as production_settings

    assert production_settings.PORTFOLIO_IMPORT_MAX_UPLOAD_MB == 10


def test_existing_projects_missing_from_the_file_are_left_alone(existing, other_department):
    data = csv_file(["", "Neu", "Schulen und Bildung", "Idee", "SVA", "0,50"])
    result = import_portfolio(data, "portfolio.csv")
    assert result.ok
    existing.refresh_from_db()
    assert existing.planned_budget == Decimal("150000.00")
    assert Project.objects.get(title="Neu").planned_budget == Decimal("0.50")
    assert ProjectVersion.objects.get(project__title="Neu").effective_date == datetime.date.today()
