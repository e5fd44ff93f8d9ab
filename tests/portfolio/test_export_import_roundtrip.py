"""Export then import gives back the same portfolio: every field, every list, money to the cent."""

import datetime
import io
from decimal import Decimal

import pytest

from stadtdigital.portfolio import exporting
from stadtdigital.portfolio.importing import Action, import_portfolio
from stadtdigital.portfolio.models import Partner, PartnerKind, Priority, Project, Status, Tag
from stadtdigital.portfolio.tabular import FileFormat


def export(file_format: FileFormat) -> bytes:
    if file_format is FileFormat.CSV:
        buffer = io.StringIO(newline="")
        exporting.export_portfolio(file_format, buffer)
        return buffer.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    exporting.export_portfolio(file_format, buffer)
    return buffer.getvalue()


@pytest.fixture
def portfolio(make_project, other_field_of_action, other_department):
    """Projects using every column, with text chosen to break naive encodings."""
    full = make_project(
        'Schul-Tablets; "Phase 2" | Süd',
        slug="schul-tablets",
        summary="=SUMME(A1:A3) sieht aus wie eine Formel",
        description='Erste Zeile\nzweite Zeile mit ; und , und "Zitat"\n- Aufzählung',
        status=Status.IMPLEMENTATION,
        contact_person="Erika Mustermann",
        internal_notes="+49 7131 56-0 anrufen",
        planned_start=datetime.date(2020, 2, 1),
        planned_end=datetime.date(2022, 7, 31),
        actual_start=datetime.date(2020, 3, 2),
        actual_end=None,
        planned_budget=Decimal("13500000.00"),
        cost_to_date=Decimal("1234567.89"),
        funding_amount=Decimal("0.01"),
        funding_source="DigitalPakt Schule",
        priority=Priority.HIGH,
        effective_date=datetime.date(2020, 3, 2),
        partners=[
            Partner.objects.create(name="Hochschule Heilbronn", kind=PartnerKind.UNIVERSITY),
            Partner.objects.create(name="Start | Up GmbH", kind=PartnerKind.STARTUP),
        ],
        tags=[Tag.objects.create(name="Schule"), Tag.objects.create(name="Endgeräte")],
    )
    full.milestones.create(
        title="Ausschreibung: Los 1 | 2", due=datetime.date(2020, 6, 30), done_on=datetime.date(2020, 6, 15)
    )
    full.milestones.create(title="Auslieferung", due=datetime.date(2021, 9, 1))
    full.milestones.create(title="Evaluation \\ Bericht")
    full.kpis.create(
        name="Ausgestattete Schulen",
        unit="Schulen",
        target=Decimal("42"),
        current=Decimal("17"),
        as_of=datetime.date(2021, 6, 30),
    )
    full.kpis.create(
        name="Veränderung", unit="% | Vorjahr", target=Decimal("-1000.5"), current=Decimal("1000")
    )
    full.kpis.create(name="Nur ein Name")
    full.links.create(title="Pressemitteilung", url="https://example.org/presse?a=1&b=2")
    full.links.create(title="https://example.org/", url="https://example.org/")
    make_project(
        "Breitband Gewerbegebiet",
        slug="breitband",
        field_of_action=other_field_of_action,
        department=other_department,
        status=Status.IDEA,
        planned_budget=None,
        priority=Priority.LOW,
    )
    return Project.objects.all()


def snapshot() -> dict:
    """The whole portfolio as plain values, independent of primary keys."""
    since = exporting.status_since_by_project()
    result = {}
    for project in Project.objects.all():
        result[project.slug] = {
            "fields": {
                field.name: getattr(project, field.attname)
                for field in Project._meta.concrete_fields
                if field.name not in ("id", "created_at", "updated_at", "field_of_action", "department")
            },
            "field_of_action": project.field_of_action.name,
            "department": project.department.name,
            "status_since": since.get(project.pk),
            "partners": sorted(project.partners.values_list("name", "kind")),
            "tags": sorted(project.tags.values_list("name", flat=True)),
            "milestones": sorted(project.milestones.values_list("title", "due", "done_on"), key=repr),
            "kpis": list(project.kpis.values_list("name", "unit", "target", "current", "as_of")),
            "links": list(project.links.values_list("title", "url")),
        }
    return result


@pytest.mark.parametrize("file_format", [FileFormat.CSV, FileFormat.XLSX])
def test_reimporting_an_export_changes_nothing(portfolio, file_format):
    before = snapshot()
    versions = {p.slug: p.versions.count() for p in portfolio}

    result = import_portfolio(export(file_format), f"portfolio.{file_format}")

    assert result.ok, [str(p) for p in result.problems]
    assert {plan.action for plan in result.plans} == {Action.UNCHANGED}
    assert snapshot() == before
    assert {p.slug: p.versions.count() for p in Project.objects.all()} == versions


@pytest.mark.parametrize("file_format", [FileFormat.CSV, FileFormat.XLSX])
def test_export_imported_into_an_empty_portfolio_recreates_it_exactly(portfolio, file_format):
    before = snapshot()
    data = export(file_format)
    Project.objects.all().delete()
    Partner.objects.all().delete()
    Tag.objects.all().delete()

    result = import_portfolio(data, f"portfolio.{file_format}")

    assert result.ok, [str(p) for p in result.problems]
    assert len(result.created) == 2
    after = snapshot()
    assert after == before
    amounts = after["schul-tablets"]["fields"]
    assert amounts["planned_budget"] == Decimal("13500000.00")
    assert isinstance(amounts["cost_to_date"], Decimal)


def test_csv_export_is_stable_across_a_round_trip(portfolio):
    first = export(FileFormat.CSV)
    Project.objects.all().delete()
    import_portfolio(first, "portfolio.csv")
    assert export(FileFormat.CSV) == first


def test_csv_export_is_what_german_excel_expects(portfolio):
    text = export(FileFormat.CSV).decode("utf-8")
    assert text.startswith("\ufeffKennung;Titel;")
    assert ";13.500.000,00;1.234.567,89;0,01;" in text
    assert ";in Umsetzung;02.03.2020;" in text


def test_browser_line_breaks_in_descriptions_count_as_unchanged(make_project):
    make_project("P", slug="p", description="Zeile 1\r\nZeile 2")
    for file_format in FileFormat:
        result = import_portfolio(export(file_format), f"p.{file_format}")
        assert [plan.action for plan in result.plans] == [Action.UNCHANGED]
