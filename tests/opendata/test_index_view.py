"""/opendata/: datasets, formats, sizes, licence, period filter and catalogue links; public, never streams."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stadtdigital.opendata import registry, services
from stadtdigital.opendata.registry import FORMATS, Dataset, Distribution, get_dataset
from stadtdigital.opendata.views.index import size_text
from stadtdigital.portfolio.models import PublishedReport
from tests.portfolio.conftest import field_of_action, make_project  # noqa: F401

D = datetime.date


@pytest.fixture
def projects(make_project):  # noqa: F811
    make_project("Tablets für Grundschulen", slug="tablets", planned_budget=Decimal("1000.00"))
    make_project("Glasfaser", slug="glasfaser")


@pytest.fixture
def report(db):
    return PublishedReport.objects.create(
        year=2021,
        as_of=D(2021, 6, 30),
        title="Digitalisierungsbericht 2021",
        figures={"total_projects": 2},
        # The open data CSV of a report is made from its frozen JSON (decision 0017), so it must be one.
        report_json=b'{"schema": "stadtdigital.annual-report/1", "fields_of_action": [], "projects": []}',
        report_html=b"",
        report_pdf=b"%PDF" + b"x" * (1024 * 1024 + 300 * 1024),
        annex_csv=b"a;b\r\n",
    )


def page(client) -> str:
    response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_see_every_dataset_with_its_downloads(client, projects, report):
    html = page(client)
    assert "<h1>Offene Daten</h1>" in html
    assert "Digitalprojekte der Stadt Musterstadt" in html
    assert "Digitalisierungsbericht 2021" in html
    for name, fmt in (
        ("projekte", "csv"),
        ("projekte", "json"),
        ("projekte", "xlsx"),
        ("digitalisierungsbericht-2021", "pdf"),
        ("digitalisierungsbericht-2021", "csv"),
        ("digitalisierungsbericht-2021", "json"),
    ):
        assert f'href="/opendata/{name}.{fmt}"' in html, (name, fmt)
    # Link texts name format and size (or rows) and, for screen readers, the dataset.
    assert re.search(
        r"PDF, 1,3 MB<span class=\"visually-hidden\"> – Digitalisierungsbericht 2021</span>", html
    )
    assert "CSV, 2 Einträge" in html  # the portfolio's size is not measured yet


def test_measured_size_replaces_the_row_count(client, projects):
    dataset = get_dataset("projekte")
    services.measure(dataset, dataset.distribution("csv"))
    html = page(client)
    assert re.search(r"CSV, \d+ Bytes<span", html)
    assert "JSON, 2 Einträge" in html  # JSON is still unmeasured


def test_licence_is_named_and_linked(client, projects, settings):
    html = page(client)
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in html
    assert 'href="https://www.govdata.de/dl-de/by-2-0"' in html
    assert "Bitte nennen Sie als Quelle: „Stadt Musterstadt“" in html

    settings.OPENDATA_LICENSE = "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    html = page(client)
    assert "Datenlizenz Deutschland – Zero – Version 2.0" in html
    assert "Bitte nennen Sie als Quelle" not in html


def test_catalogue_links_and_what_they_are_for(client, db):
    html = page(client)
    for key in ("ttl", "jsonld", "rdf"):
        assert f'href="{reverse("opendata:catalog", args=[key])}"' in html
    assert "Katalog im Format Turtle (catalog.ttl)" in html
    assert "GovData" in html and "Harvesting" in html


def test_last_update_frequency_and_landing_page(client, projects, report):
    html = page(client)
    modified = timezone.localtime(get_dataset("projekte").modified()).date()
    assert f'<time datetime="{modified.isoformat()}">{modified:%d.%m.%Y}</time>' in html
    published = timezone.localtime(report.published_at).date()
    assert f'<time datetime="{published.isoformat()}">{published:%d.%m.%Y}</time>' in html
    assert "unregelmäßig" in html and "jährlich" in html
    assert 'href="/projekte/"' in html and 'href="/berichte/2021/"' in html


def _fake_period_dataset(rows: int) -> Dataset:
    def stream(period, progress):
        yield b"id\r\n"

    return Dataset(
        name="anliegen-test",
        title="Anliegen (Test)",
        description="Testdaten",
        keywords=(),
        themes=("GOVE",),
        frequency="DAILY",
        distributions=(Distribution(FORMATS["csv"], stream), Distribution(FORMATS["geojson"], stream)),
        modified=lambda: None,
        temporal=lambda: None,
        row_count=lambda period: rows,
        supports_period=True,
    )


def test_period_filter_is_explained_with_an_example_link(client, db, monkeypatch):
    fake = _fake_period_dataset(5000)
    monkeypatch.setattr(registry, "all_datasets", lambda: [fake])
    monkeypatch.setattr("stadtdigital.opendata.selectors.all_datasets", lambda: [fake])
    html = page(client)
    last_year = datetime.date.today().year - 1
    example = f"/opendata/anliegen-test.csv?start_date={last_year}-01-01&amp;end_date={last_year}-12-31"
    assert f'href="{example}"' in html
    assert "<code>start_date</code>" in html and "<code>end_date</code>" in html
    assert "JJJJ-MM-TT" in html
    assert "CSV, 5.000 Einträge" in html
    assert "GeoJSON, 5.000 Einträge" in html
    assert "täglich" in html


def test_no_period_section_without_filterable_datasets(client, projects, monkeypatch):
    from stadtdigital.portfolio.opendata import annual_reports
    from stadtdigital.portfolio.opendata import projects as portfolio

    mine = lambda: [*portfolio.datasets(), *annual_reports.datasets()]  # noqa: E731
    monkeypatch.setattr("stadtdigital.opendata.selectors.all_datasets", mine)
    html = page(client)
    assert "Nach Zeitraum filter" not in html and "start_date" not in html


def test_page_never_streams_a_download(client, projects, report, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the page must not produce downloads")

    monkeypatch.setattr("stadtdigital.opendata.writers.csv_chunks", refuse)
    monkeypatch.setattr("stadtdigital.opendata.writers.json_chunks", refuse)
    monkeypatch.setattr("stadtdigital.opendata.writers.xlsx_chunks", refuse)
    monkeypatch.setattr("stadtdigital.portfolio.opendata.annual_reports.stored_chunks", refuse)
    page(client)


def test_page_asks_each_dataset_once_not_once_per_format(client, projects, report, monkeypatch):
    calls = []
    fake = _fake_period_dataset(10)
    counted = Dataset(
        **{
            **fake.__dict__,
            "modified": lambda: calls.append("modified"),
            "row_count": lambda period: calls.append("rows") or 10,
        }
    )
    monkeypatch.setattr("stadtdigital.opendata.selectors.all_datasets", lambda: [counted])
    page(client)
    assert sorted(calls) == ["modified", "rows"]  # two formats, still one call each


def test_page_is_listed_in_the_navigation_and_on_the_landing_page(client, db):
    html = client.get(reverse("core:landing")).content.decode()
    assert html.count('href="/opendata/"') >= 2


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 Bytes"),
        (1, "1 Byte"),
        (850, "850 Bytes"),
        (12 * 1024, "12 KB"),
        (1258291, "1,2 MB"),
        (3 * 1024**3, "3,0 GB"),
    ],
)
def test_size_text(size, text):
    assert size_text(size) == text


def test_unchanged_size_is_shown_until_the_data_changes(client, projects, make_project):  # noqa: F811
    dataset = get_dataset("projekte")
    services.measure(dataset, dataset.distribution("csv"))
    assert "CSV, 2 Einträge" not in page(client)
    make_project("Drittes Projekt", slug="drittes")
    assert "CSV, 3 Einträge" in page(client)  # the recorded size belongs to the old version


@pytest.mark.parametrize(
    ("uri", "name"),
    [
        (
            "http://dcat-ap.de/def/licenses/cc-by/4.0",
            "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
        ),
        ("https://dcat-ap.de/def/licenses/cc-zero/", "Creative Commons CC Zero License (CC0 1.0)"),
        ("https://example.org/eigene-lizenz", "https://example.org/eigene-lizenz"),
    ],
)
def test_licence_names(uri, name):
    from stadtdigital.opendata.selectors import license_info

    assert license_info(uri).name == name
