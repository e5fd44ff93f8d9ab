"""Public report pages in Chromium: axe on the list (with map), at 390 px, on a report page; no-JS use."""

import re

import pytest
from playwright.sync_api import expect

from stadtdigital.reports.models import State
from tests.reports.conftest import category, category_group, make_report  # noqa: F401


@pytest.fixture
def reports(make_report):  # noqa: F811
    first = make_report(address="Marktplatz 1", description="Tiefes Schlagloch", supporters_count=3)
    make_report(address="Bahnhofstraße 4", state=State.FIXED, lat=49.15, lon=9.2)
    make_report(address="Hauptstraße 9", state=State.CLOSED_NOT_FIXED, lat=49.13, lon=9.22)
    for number in range(30):
        make_report(address=f"Gartenweg {number}", lat=49.14 + number * 0.0005, lon=9.21)
    return first


def test_list_with_map_passes_axe(page, url, axe_check, reports):
    page.goto(url("/anliegen/"))
    page.wait_for_load_state("networkidle")
    assert page.locator(".report-item").count() == 25
    axe_check(page)


def test_list_at_phone_width_passes_axe_without_horizontal_scrolling(new_page, url, axe_check, reports):
    page = new_page(width=390, height=844)
    page.goto(url("/anliegen/"))
    page.wait_for_load_state("networkidle")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_detail_page_passes_axe(page, url, axe_check, reports):
    page.goto(url(f"/anliegen/{reports.pk}/"))
    page.wait_for_load_state("networkidle")
    assert "Tiefes Schlagloch" in page.locator("main").inner_text()
    axe_check(page)


def test_alert_page_passes_axe(page, url, axe_check, reports):
    page.goto(url("/anliegen/benachrichtigung/"))
    axe_check(page)


def test_list_filters_and_pages_without_javascript(new_page, url, reports):
    page = new_page(java_script_enabled=False)
    page.goto(url("/anliegen/"))
    assert page.locator("#report-map").is_hidden()  # the map needs JS; the list is there
    page.get_by_label("Status").select_option("closed_not_fixed")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**/anliegen/?**")
    items = page.locator(".report-item h3").all_inner_texts()
    assert items == ["Straßenschäden und Schlaglöcher: Hauptstraße 9"]
    assert "geschlossen ohne Behebung" in page.locator(".report-item").inner_text()
    page.goto(url("/anliegen/?sortierung=unterstuetzt"))
    assert page.locator(".report-item h3").first.inner_text().endswith("Marktplatz 1")
    page.get_by_role("link", name="Seite 2").click()
    expect(page.locator(".report-item")).to_have_count(6)
    page.locator(".report-item h3 a").first.click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Straßenschäden"))
