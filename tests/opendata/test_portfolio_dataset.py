"""The dataset `projekte`: exact public content in CSV, JSON and XLSX, nothing internal, a moving version."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from stadtdigital.opendata.registry import Period, get_dataset, version_tag
from stadtdigital.portfolio import services
from stadtdigital.portfolio.models import KPI, Milestone, Partner, PartnerKind, Priority, ProjectLink, Status
from tests.portfolio.conftest import field_of_action, make_project  # noqa: F401

D = datetime.date
SECRET_CONTACT = "Erika Geheimperson"
SECRET_NOTES = "GEHEIMNOTIZ-4711"


@pytest.fixture
def project(make_project, settings):  # noqa: F811
    settings.SITE_URL = "https://digital.example"
    partners = [
        Partner.objects.create(name="Hochschule Musterstadt", kind=PartnerKind.UNIVERSITY),
        Partner.objects.create(name="Schule | Nord", kind=PartnerKind.SCHOOL),
    ]
    project = make_project(
        "Tablets für Grundschulen",
        slug="tablets",
        summary="Jedes Kind ein Tablet",
        description='Zeile 1\nZeile "2"',
        contact_person=SECRET_CONTACT,
        internal_notes=SECRET_NOTES,
        planned_start=D(2020, 2, 1),
        planned_end=D(2022, 7, 31),
        actual_start=D(2020, 3, 1),
        planned_budget=Decimal("1250000.00"),
        cost_to_date=Decimal("99.99"),
        funding_amount=Decimal("500000.50"),
        funding_source="DigitalPakt Schule",
        priority=Priority.HIGH,
        partners=partners,
        tags=services.tags_from_names(["Tablets", "Schule"]),
    )
    services.change_status(project, Status.IMPLEMENTATION, effective_date=D(2020, 3, 1))
    Milestone.objects.create(project=project, title="Auslieferung", due=D(2021, 1, 31))
    Milestone.objects.create(
        project=project, title="Ausschreibung", due=D(2020, 6, 30), done_on=D(2020, 6, 15)
    )
    KPI.objects.create(
        project=project,
        name="Ausgegebene Tablets",
        unit="Stück",
        target=Decimal("4000"),
        current=Decimal("1114.5"),
        as_of=D(2021, 6, 30),
    )
    ProjectLink.objects.create(project=project, title="Pressemitteilung", url="https://example.org/presse")
    return project


def download(fmt: str) -> bytes:
    dataset = get_dataset("projekte")
    return b"".join(dataset.distribution(fmt).stream(Period(), None))


HEADER = (
    "slug,title,summary,description,url,field_of_action,status,status_label,status_since,department,"
    "priority,priority_label,planned_start,planned_end,actual_start,actual_end,planned_budget_eur,"
    "cost_to_date_eur,funding_eur,funding_source,partners,tags,milestones,kpis,links"
)


def test_csv_has_one_flat_row_of_public_fields_per_project(project):
    expected_row = (
        'tablets,Tablets für Grundschulen,Jedes Kind ein Tablet,"Zeile 1\nZeile ""2""",'
        "https://digital.example/projekte/tablets/,Schulen und Bildung,"
        "implementation,in Umsetzung,2020-03-01,"
        "Amt für Digitalisierung,high,hoch,2020-02-01,2022-07-31,2020-03-01,,1250000.00,99.99,500000.50,"
        'DigitalPakt Schule,"Hochschule Musterstadt | Art: Hochschule\nSchule \\| Nord | Art: Schule",'
        '"Schule\nTablets",'
        '"Ausschreibung | fällig: 2020-06-30 | erreicht: 2020-06-15\nAuslieferung | fällig: 2021-01-31",'
        "Ausgegebene Tablets | Einheit: Stück | Ziel: 4000.00 | aktuell: 1114.50 | Stand: 2021-06-30,"
        "Pressemitteilung | https://example.org/presse"
    )
    assert download("csv").decode("utf-8") == HEADER + "\r\n" + expected_row + "\r\n"


def test_json_nests_lists_as_objects_and_keeps_money_exact(project):
    data = download("json")
    assert json.loads(data) == [
        {
            "slug": "tablets",
            "title": "Tablets für Grundschulen",
            "summary": "Jedes Kind ein Tablet",
            "description": 'Zeile 1\nZeile "2"',
            "url": "https://digital.example/projekte/tablets/",
            "field_of_action": "Schulen und Bildung",
            "status": "implementation",
            "status_label": "in Umsetzung",
            "status_since": "2020-03-01",
            "department": "Amt für Digitalisierung",
            "priority": "high",
            "priority_label": "hoch",
            "planned_start": "2020-02-01",
            "planned_end": "2022-07-31",
            "actual_start": "2020-03-01",
            "actual_end": None,
            "planned_budget_eur": "1250000.00",
            "cost_to_date_eur": "99.99",
            "funding_eur": "500000.50",
            "funding_source": "DigitalPakt Schule",
            "partners": [
                {"name": "Hochschule Musterstadt", "kind": "university", "kind_label": "Hochschule"},
                {"name": "Schule | Nord", "kind": "school", "kind_label": "Schule"},
            ],
            "tags": ["Schule", "Tablets"],
            "milestones": [
                {"title": "Ausschreibung", "due": "2020-06-30", "done_on": "2020-06-15"},
                {"title": "Auslieferung", "due": "2021-01-31", "done_on": None},
            ],
            "kpis": [
                {
                    "name": "Ausgegebene Tablets",
                    "unit": "Stück",
                    "target": "4000.00",
                    "current": "1114.50",
                    "as_of": "2021-06-30",
                }
            ],
            "links": [{"title": "Pressemitteilung", "url": "https://example.org/presse"}],
        }
    ]
    # Strings, never floats: a consumer's parser cannot round them.
    assert b'"planned_budget_eur":"1250000.00"' in data


def test_xlsx_has_the_csv_columns_with_numeric_and_date_cells(project):
    workbook = openpyxl.load_workbook(io.BytesIO(download("xlsx")))
    sheet = workbook["Projekte"]
    rows = list(sheet.values)
    assert len(rows) == 2
    assert ",".join(rows[0]) == HEADER
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["slug"] == "tablets"
    assert row["status_label"] == "in Umsetzung"
    assert row["planned_budget_eur"] == 1250000
    assert row["funding_eur"] == pytest.approx(500000.5)
    assert row["status_since"] == datetime.datetime(2020, 3, 1)
    assert row["actual_end"] is None
    assert row["tags"] == "Schule\nTablets"
    assert row["milestones"].startswith("Ausschreibung | fällig: 2020-06-30 | erreicht: 2020-06-15\n")


def test_contact_person_and_internal_notes_appear_in_no_format(project):
    for fmt in ("csv", "json"):
        content = download(fmt).decode("utf-8")
        assert SECRET_CONTACT not in content and SECRET_NOTES not in content, fmt
        assert "contact" not in content and "internal" not in content and "synthetic" not in content
    with zipfile.ZipFile(io.BytesIO(download("xlsx"))) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert SECRET_CONTACT not in xml and SECRET_NOTES not in xml


def test_rows_are_ordered_by_slug(make_project):  # noqa: F811
    for title, slug in (("Zebra", "b-zebra"), ("Alpha", "c-alpha"), ("Mitte", "a-mitte")):
        make_project(title, slug=slug)
    slugs = [row["slug"] for row in json.loads(download("json"))]
    assert slugs == ["a-mitte", "b-zebra", "c-alpha"]


def test_labels_stay_german_whatever_the_readers_language(project):
    from django.utils import translation

    with translation.override("en"):
        data = json.loads(download("json"))
    assert data[0]["status_label"] == "in Umsetzung"
    assert data[0]["partners"][0]["kind_label"] == "Hochschule"


def test_download_is_public_with_media_types(client, project):
    for fmt, media_type in (
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        response = client.get(reverse("opendata:download", args=["projekte", fmt]))
        assert response.status_code == 200
        assert response["Content-Type"] == media_type
        assert b"".join(response.streaming_content) == download(fmt)


def test_metadata_describe_the_portfolio(project):
    dataset = get_dataset("projekte")
    assert dataset.themes == ("GOVE", "TECH")
    assert dataset.frequency == "IRREG"
    assert dataset.landing_page() == "/projekte/"
    assert dataset.row_count(Period()) == 1
    assert not dataset.supports_period
    start, end = dataset.temporal()
    assert start == D(2020, 1, 15)  # the first history entry, before the planned start
    assert end == max(D(2022, 7, 31), datetime.date.today())
    assert [d.key for d in dataset.distributions] == ["csv", "json", "xlsx"]


def test_empty_portfolio_has_no_modified_date_and_a_header_only_csv(db):
    dataset = get_dataset("projekte")
    assert dataset.modified() is None
    assert dataset.temporal() is None
    assert download("csv").decode() == HEADER + "\r\n"
    assert json.loads(download("json")) == []


def _versions() -> tuple[str, datetime.datetime]:
    dataset = get_dataset("projekte")
    return version_tag(dataset, dataset.distribution("csv"), Period()), dataset.modified()


def _rename(obj, name):
    obj.name = name
    obj.save()


def _set_kpi(project, value):
    kpi = project.kpis.get()
    kpi.current = value
    kpi.save()


# Changes made the way the back office and admin make them; none of them touches Project.updated_at.
CHANGES = {
    "rename-field-of-action": lambda p: _rename(p.field_of_action, "Bildung"),
    "rename-department": lambda p: _rename(p.department, "Digitalamt"),
    "rename-partner": lambda p: _rename(p.partners.first(), "Uni Musterstadt"),
    "rename-tag": lambda p: _rename(p.tags.first(), "Schulen"),
    "delete-milestone": lambda p: p.milestones.first().delete(),
    "edit-kpi": lambda p: _set_kpi(p, Decimal("2000")),
    "remove-tags": lambda p: p.tags.clear(),
    "add-partner": lambda p: p.partners.add(Partner.objects.create(name="Neu GmbH")),
    "add-link": lambda p: ProjectLink.objects.create(project=p, title="Neu", url="https://x.example/"),
    "edit-project": lambda p: services.update_project(p, summary="Neu"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_of_the_output_moves_etag_and_last_modified(project, change):
    before_csv = download("csv")
    before_tag, before_modified = _versions()
    change(project)
    assert download("csv") != before_csv  # the change is visible in the data ...
    after_tag, after_modified = _versions()
    assert after_tag != before_tag  # ... so caches must not answer 304
    assert after_modified > before_modified


def test_deleting_a_project_moves_last_modified_forward(project, make_project):  # noqa: F811
    make_project("Zweites Projekt", slug="zweites")
    before_tag, before_modified = _versions()
    project.delete()
    after_tag, after_modified = _versions()
    assert after_tag != before_tag
    # Not back to an older timestamp: If-Modified-Since from before the deletion must not get a 304.
    assert after_modified > before_modified


def test_text_that_looks_like_a_formula_stays_text_in_xlsx(make_project):  # noqa: F811
    make_project('=HYPERLINK("https://evil.example")', slug="formel")
    workbook = openpyxl.load_workbook(io.BytesIO(download("xlsx")))
    cell = workbook["Projekte"]["B2"]
    assert cell.value == '\'=HYPERLINK("https://evil.example")'  # protected (core.csvfiles)
    assert cell.data_type == "s"
