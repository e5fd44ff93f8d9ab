"""axe-core finds no serious or critical WCAG 2.1 problems on the public and back office pages."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from stadtdigital.portfolio import services
from stadtdigital.portfolio.models import KPI, Milestone, Partner, ProjectLink, Status


@pytest.fixture
def projects(make_project, other_department, other_field_of_action, digital_office_user):
    main = make_project(
        "Tablets für Grundschulen",
        summary="Alle Grundschulen bekommen Tablets.",
        description="Erster Absatz.\n\nZweiter Absatz.",
        status=Status.PREPARATION,
        planned_budget=Decimal("13500000.00"),
        cost_to_date=Decimal("1250.50"),
        funding_amount=Decimal("900000"),
        funding_source="DigitalPakt Schule",
        planned_start=datetime.date(2021, 1, 1),
    )
    services.change_status(main, Status.IMPLEMENTATION, effective_date=datetime.date(2021, 3, 1))
    main.partners.add(Partner.objects.create(name="Hochschule", kind="university"))
    Milestone.objects.create(
        project=main, title="Pilot", due=datetime.date(2021, 6, 1), done_on=datetime.date(2021, 6, 2)
    )
    Milestone.objects.create(project=main, title="Rollout", due=datetime.date(2022, 6, 1))
    KPI.objects.create(project=main, name="Tablets", unit="Stück", target=Decimal(500), current=Decimal(120))
    ProjectLink.objects.create(project=main, title="Mehr dazu", url="https://example.org/")
    for n, status in enumerate(Status.values):
        make_project(
            f"Projekt {n}", status=status, department=other_department, field_of_action=other_field_of_action
        )
    return main


@pytest.mark.parametrize("path", ["/", "/projekte/", "/verwaltung/anmelden/"])
def test_public_pages(page, url, axe_check, projects, path):
    page.goto(url(path))
    axe_check(page)


def test_project_page(page, url, axe_check, projects):
    page.goto(url(projects.get_absolute_url()))
    assert page.get_by_role("heading", level=1).inner_text() == "Tablets für Grundschulen"
    axe_check(page)


def test_filtered_list_at_phone_width(new_page, url, axe_check, projects):
    page = new_page(width=390, height=844)
    page.goto(url("/projekte/?status=implementation&sortierung=budget-absteigend"))
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways


def test_backoffice_list_and_edit_form(page, url, axe_check, login, projects, digital_office_user):
    login(page, digital_office_user)
    axe_check(page)
    page.goto(url("/verwaltung/projekte/"))
    axe_check(page)
    page.goto(url(f"/verwaltung/projekte/{projects.slug}/"))
    axe_check(page)
    page.goto(url(f"/verwaltung/projekte/{projects.slug}/bearbeiten/"))
    axe_check(page)


def test_edit_form_with_errors(page, url, axe_check, login, projects, digital_office_user):
    login(page, digital_office_user)
    page.goto(url(f"/verwaltung/projekte/{projects.slug}/bearbeiten/"))
    page.get_by_label("Geplantes Budget (EUR)").fill("13,5 Mio")
    page.get_by_role("button", name="Änderungen speichern").click()
    summary = page.get_by_role("alert")
    assert "ist kein Betrag" in summary.inner_text()
    expect(page.locator("#error-summary")).to_be_focused()  # screen readers hear it first
    axe_check(page)


def test_fields_of_action_pages(page, url, axe_check, login, projects, digital_office_user):
    login(page, digital_office_user)
    page.goto(url("/verwaltung/handlungsfelder/"))
    axe_check(page)
    page.goto(url("/verwaltung/handlungsfelder/neu/"))
    axe_check(page)
