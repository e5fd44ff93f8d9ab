"""The category pages of the back office in Chromium: list and edit form (with errors) have no serious or
critical axe findings; a choice question without choices is rejected next to the field, nothing saved;
a valid question is added through the form."""

import re

import pytest
from playwright.sync_api import expect

from stadtdigital.core import roles
from stadtdigital.reports.models import Category, CategoryGroup, CategoryQuestion, QuestionType
from tests.conftest import make_user


@pytest.fixture
def manager(db):
    return make_user("leitstelle", roles.LEITSTELLE)


@pytest.fixture
def catalogue(department, other_department):
    streets = CategoryGroup.objects.create(name="Straße und Verkehr", position=1)
    CategoryGroup.objects.create(name="Grün und Spiel", position=2)
    pothole = Category.objects.create(
        code="schlagloch",
        name="Straßenschäden und Schlaglöcher",
        group=streets,
        department=department,
        emergency_notice="Bei Gefahr: 112",
    )
    Category.objects.create(
        code="ampel",
        name="Verkehrszeichen und Ampeln",
        group=streets,
        department=other_department,
        is_active=False,
    )
    CategoryQuestion.objects.create(
        category=pothole,
        code="gefahr",
        label="Gefahr für",
        datatype=QuestionType.MULTIPLE_CHOICE,
        choices=[{"key": "rad", "name": "Radfahrende"}],
    )
    return pothole


def test_category_pages_are_accessible_and_show_errors(page, url, login, axe_check, manager, catalogue):
    login(page, manager)
    page.get_by_role("link", name="Kategorien").click()
    expect(page.get_by_role("heading", name="Kategorien", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Grün und Spiel")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=re.compile(r"^Bearbeiten\s*: Straßenschäden")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kategorie „Straßenschäden und Schlaglöcher“ bearbeiten"
    )
    axe_check(page)

    new_question = page.locator("#formset-fragen .formset-row").nth(1)
    new_question.get_by_label("Frage").fill("Fahrspur")
    new_question.get_by_label("Art").select_option(QuestionType.SINGLE_CHOICE)
    page.get_by_role("button", name="Änderungen speichern").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Auswahlmöglichkeiten")
    expect(summary).to_be_focused()
    field_error = page.locator("#id_fragen-1-choices_text_error")
    assert "Bitte mindestens eine Auswahlmöglichkeit angeben" in field_error.inner_text()
    assert not CategoryQuestion.objects.filter(code="fahrspur").exists()
    axe_check(page)

    # The link in the summary leads to the field; fixing it saves.
    summary.get_by_role("link").first.click()
    page.keyboard.type("links\nrechts")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_text("Kategorie „Straßenschäden und Schlaglöcher“ gespeichert.")).to_be_visible()
    axe_check(page)  # the page with the success message
    question = CategoryQuestion.objects.get(code="fahrspur")
    assert [choice["key"] for choice in question.choices] == ["links", "rechts"]


def test_department_staff_get_a_read_only_list(page, url, login, axe_check, department_user, catalogue):
    login(page, department_user)
    page.goto(url("/verwaltung/anliegen/kategorien/"))
    expect(page.get_by_text("Nur lesen")).to_be_visible()
    assert page.get_by_role("link", name="Neue Kategorie").count() == 0
    axe_check(page)
