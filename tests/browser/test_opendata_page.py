"""/opendata/ in a browser: no axe violations, works without JavaScript and at phone width, downloads work."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from stadtdigital.portfolio.models import PublishedReport


@pytest.fixture
def data(make_project):
    make_project("Tablets für Grundschulen", slug="tablets", planned_budget=Decimal("1000.00"))
    make_project("Glasfaser für alle", slug="glasfaser")
    PublishedReport.objects.create(
        year=2021,
        as_of=datetime.date(2021, 6, 30),
        title="Digitalisierungsbericht 2021",
        figures={"total_projects": 2},
        report_json=b"{}",
        report_html=b"",
        report_pdf=b"%PDF" + b"x" * 2048,
        annex_csv=b"a;b\r\n",
    )


def test_opendata_page_is_accessible(page, url, axe_check, data):
    page.goto(url("/opendata/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Offene Daten"
    expect(page.get_by_role("heading", name="Digitalprojekte der Stadt Musterstadt")).to_be_visible()
    axe_check(page)


def test_download_links_are_named_by_format_size_and_dataset(page, url, data):
    page.goto(url("/opendata/"))
    link = page.get_by_role("link", name="PDF, 2 KB – Digitalisierungsbericht 2021", exact=True)
    assert link.get_attribute("href") == "/opendata/digitalisierungsbericht-2021.pdf"
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="CSV, 2 Einträge – Digitalprojekte der Stadt Musterstadt", exact=True
        ).click()
    assert download.value.suggested_filename == "projekte.csv"


def test_works_without_javascript(new_page, url, data):
    page = new_page(java_script_enabled=False)
    page.goto(url("/opendata/"))
    expect(page.get_by_role("link", name="Katalog im Format Turtle (catalog.ttl)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON, 2 Einträge – Digitalprojekte der Stadt Musterstadt").click()
    assert download.value.suggested_filename == "projekte.json"


def test_phone_width(new_page, url, axe_check, data):
    page = new_page(width=390, height=844)
    page.goto(url("/opendata/"))
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
