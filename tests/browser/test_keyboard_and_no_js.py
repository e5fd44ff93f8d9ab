"""Keyboard-only use and pages without JavaScript: the skip link, the project filter, the status change."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from stadtdigital.portfolio.models import Status


@pytest.fixture
def projects(make_project, other_field_of_action):
    make_project(
        "Glasfaser Gewerbegebiet",
        status=Status.IMPLEMENTATION,
        field_of_action=other_field_of_action,
        planned_budget=Decimal("2000000.00"),
    )
    make_project("Tablets für Grundschulen", status=Status.IMPLEMENTATION, planned_budget=Decimal("1500.25"))
    make_project("E-Akte", status=Status.COMPLETED, planned_budget=Decimal("99.75"))


def test_first_tab_reaches_visible_skip_link_which_moves_focus_to_content(page, url, projects):
    page.goto(url("/projekte/"))
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # on screen while focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_filter_form_by_keyboard_only(page, url, projects):
    page.goto(url("/projekte/"))
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Enter")
    for _ in range(15):  # from the content, tab until the search field has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("Glasfaser")
    page.keyboard.press("Enter")
    # (Not wait_for_function("..."): a string predicate needs eval, which the page's CSP forbids.)
    expect(page.locator(".project-item")).to_have_count(1)
    assert page.locator(".project-item h3").inner_text() == "Glasfaser Gewerbegebiet"
    assert "2.000.000,00\u00a0€" in page.locator("#results .figures").inner_text()
    assert "q=Glasfaser" in page.url  # the filtered list has its own address (htmx pushes it)


def test_filter_works_without_javascript(new_page, url, projects):
    page = new_page(java_script_enabled=False)
    page.goto(url("/projekte/"))
    page.get_by_label("Status").select_option("implementation")
    page.get_by_label("Sortierung").select_option("budget")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**/projekte/?**")
    titles = page.locator(".project-item h3").all_inner_texts()
    assert titles == ["Tablets für Grundschulen", "Glasfaser Gewerbegebiet"]
    assert "2.001.500,25\u00a0€" in page.locator(".figures").inner_text()
    assert page.get_by_label("Status").input_value() == "implementation"  # the form keeps the choice


def test_status_change_in_backoffice_records_history(page, url, login, make_project, department_user):
    project = make_project("E-Akte im Bürgeramt")
    login(page, department_user)
    page.goto(url(f"/verwaltung/projekte/{project.slug}/"))
    page.get_by_label("Neuer Status").select_option("implementation")
    page.get_by_label("Wirksam ab").fill("2024-03-01")
    page.get_by_label("Anmerkung").fill("Auftrag erteilt")
    page.get_by_role("button", name="Status speichern").click()
    expect(page.get_by_role("status").first).to_contain_text("Status geändert")
    version = project.versions.latest("id")
    assert (version.status, version.effective_date, version.recorded_by) == (
        "implementation",
        datetime.date(2024, 3, 1),
        department_user,
    )
