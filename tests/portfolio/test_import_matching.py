"""How cells find statuses, departments, fields of action, partners and tags, and what is created."""

import csv
import io

import pytest

from stadtdigital.portfolio.importing import import_portfolio
from stadtdigital.portfolio.models import FieldOfAction, Partner, PartnerKind, Priority, Project, Status

HEADERS = ["Titel", "Handlungsfeld", "Status", "Fachbereich"]


def csv_file(*rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("in Umsetzung", Status.IMPLEMENTATION),
        ("IN UMSETZUNG", Status.IMPLEMENTATION),
        ("implementation", Status.IMPLEMENTATION),
        ("abgeschlossen", Status.COMPLETED),
        ("Idee", Status.IDEA),
        ("eingestellt", Status.CANCELLED),
    ],
)
def test_status_accepts_german_labels_and_codes(db, department, field_of_action, cell, status):
    assert import_portfolio(csv_file(["P", "Schulen und Bildung", cell, "AfD"]), "p.csv").ok
    assert Project.objects.get().status == status


def test_unknown_status_lists_the_allowed_ones(db, department, field_of_action):
    result = import_portfolio(csv_file(["P", "Schulen und Bildung", "fertig", "AfD"]), "p.csv")
    assert str(result.problems[0]) == (
        "Zeile 2, Spalte 'Status': 'fertig' ist kein Status (erlaubt: Idee, in Vorbereitung, "
        "in Umsetzung, abgeschlossen, pausiert, eingestellt)"
    )


@pytest.mark.parametrize(
    "cell", ["Amt für Digitalisierung", "amt für  digitalisierung", "AfD", "digitalisierung"]
)
def test_department_by_name_kurzel_or_slug(db, department, field_of_action, cell):
    assert import_portfolio(csv_file(["P", "Schulen und Bildung", "Idee", cell]), "p.csv").ok
    assert Project.objects.get().department == department


def test_unknown_department_is_an_error_never_created(db, department, field_of_action):
    result = import_portfolio(csv_file(["P", "Schulen und Bildung", "Idee", "Amt 99"]), "p.csv")
    assert [str(p) for p in result.problems] == [
        "Zeile 2, Spalte 'Fachbereich': Fachbereich 'Amt 99' ist nicht bekannt"
    ]


@pytest.mark.parametrize("cell", ["Schulen und Bildung", "schulen"])
def test_field_of_action_by_name_or_slug(db, department, field_of_action, cell):
    assert import_portfolio(csv_file(["P", cell, "Idee", "AfD"]), "p.csv").ok
    assert Project.objects.get().field_of_action == field_of_action


def test_unknown_field_of_action_is_created_once_and_reported(db, department, field_of_action):
    result = import_portfolio(
        csv_file(["A", "Open Data", "Idee", "AfD"], ["B", "open  data", "Idee", "AfD"]), "p.csv"
    )
    assert result.new_fields_of_action == ["Open Data"]
    created = FieldOfAction.objects.get(name="Open Data")
    assert created.slug == "open-data"
    assert created.position > field_of_action.position
    assert set(Project.objects.values_list("field_of_action", flat=True)) == {created.pk}


def test_partners_and_tags_are_matched_or_created(db, department, field_of_action):
    Partner.objects.create(name="Hochschule Heilbronn", kind=PartnerKind.UNIVERSITY)
    headers = [*HEADERS, "Partner", "Schlagwörter", "Priorität"]
    result = import_portfolio(
        csv_file(
            [
                "P",
                "Schulen und Bildung",
                "Idee",
                "AfD",
                "hochschule heilbronn\nNeue GmbH | Unternehmen",
                "KI\nArchiv",
                "hoch",
            ],
            headers=headers,
        ),
        "p.csv",
    )
    assert result.ok
    project = Project.objects.get()
    assert dict(project.partners.values_list("name", "kind")) == {
        "Hochschule Heilbronn": PartnerKind.UNIVERSITY,
        "Neue GmbH": PartnerKind.COMPANY,
    }
    assert sorted(project.tags.values_list("name", flat=True)) == ["Archiv", "KI"]
    assert project.priority == Priority.HIGH


def test_one_partner_with_two_different_kinds_is_an_error(db, department, field_of_action):
    headers = [*HEADERS, "Partner"]
    result = import_portfolio(
        csv_file(
            ["A", "Schulen und Bildung", "Idee", "AfD", "Neue GmbH | Unternehmen"],
            ["B", "Schulen und Bildung", "Idee", "AfD", "Neue GmbH | Start-up"],
            headers=headers,
        ),
        "p.csv",
    )
    assert [str(p) for p in result.problems] == [
        "Zeile 3, Spalte 'Partner': Partner 'Neue GmbH' hat in Zeile 2 eine andere Art"
    ]


@pytest.mark.parametrize(
    ("header", "cell", "expected"),
    [
        (
            "Meilensteine",
            "Go-live | fällig: 31.13.2021",
            "Eintrag 1 ('Go-live | fällig: 31.13.2021'): '31.13.2021' ist kein gültiges Datum",
        ),
        ("Meilensteine", "Go-live | bald", "unbekannte Angabe 'bald'"),
        ("Kennzahlen", "Schulen | Ziel: viele", "'viele' ist keine Zahl"),
        ("Links", "Website | kein-link", "gültige Adresse"),
        ("Partner", "X | Verein", "'Verein' ist keine Partnerart"),
    ],
)
def test_bad_list_entries_name_the_entry(db, department, field_of_action, header, cell, expected):
    result = import_portfolio(
        csv_file(["P", "Schulen und Bildung", "Idee", "AfD", cell], headers=[*HEADERS, header]), "p.csv"
    )
    assert len(result.problems) == 1
    assert (result.problems[0].row, result.problems[0].column) == (2, header)
    assert expected in result.problems[0].message


@pytest.mark.parametrize(("header", "cell"), [("Schlagwörter", "x" * 81), ("Handlungsfeld", "y" * 151)])
def test_names_too_long_for_the_database_are_errors(db, department, field_of_action, header, cell):
    headers = ["Titel", "Handlungsfeld", "Status", "Fachbereich", "Schlagwörter"]
    row = ["P", "Schulen und Bildung", "Idee", "AfD", ""]
    row[headers.index(header)] = cell
    result = import_portfolio(csv_file(row, headers=headers), "p.csv")
    assert [(p.row, p.column) for p in result.problems] == [(2, header)]
    assert "zu lang" in result.problems[0].message
