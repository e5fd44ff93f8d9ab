"""Back office pages for reports in Chromium: no serious/critical axe findings; queue and report page at
desktop and phone width; one state change through the page without JavaScript."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stadtdigital.core import roles
from stadtdigital.reports.models import (
    AnswerTemplate,
    Category,
    CategoryGroup,
    Report,
    Source,
    State,
)
from stadtdigital.reports.services import workflow
from stadtdigital.reports.services.history import record_event
from tests.conftest import make_user

SCREENSHOTS = os.environ.get("BACKOFFICE_SCREENSHOTS", "")


@pytest.fixture
def worker(department):
    user = make_user("sachbearbeitung", roles.DEPARTMENT_STAFF, [department])
    user.first_name, user.last_name = "Sabine", "Sachbearbeiterin"
    user.save()
    return user


@pytest.fixture
def reports(department, worker):
    group = CategoryGroup.objects.create(name="Straße und Verkehr")
    category = Category.objects.create(
        code="schlagloch", name="Straßenschäden und Schlaglöcher", group=group, department=department
    )
    AnswerTemplate.objects.create(
        title="Schlagloch verfüllt",
        text="Das Schlagloch wurde verfüllt. Danke!",
        state=State.FIXED,
        category=category,
    )
    now = timezone.now()
    created = []
    for i in range(60):
        at = now - datetime.timedelta(days=i, hours=3)
        report = Report.objects.create(
            category=category,
            department=department,
            description=f"Tiefes Schlagloch in der Fahrbahn, Meldung {i}, Gefahr für Radfahrende",
            lat=49.14,
            lon=9.21,
            address=f"Hauptstraße {i + 1}",
            created_at=at,
            updated_at=at,
            due_at=at + datetime.timedelta(days=10),
            needs_triage=i % 9 == 0,
            assigned_to=worker if i % 3 == 0 else None,
            supporters_count=i % 4,
            source=Source.WEB,
            reporter_email=f"person{i}@example.org",
        )
        record_event(report, "created", to_state=State.RECEIVED, at=at)
        created.append(report)
    workflow.add_note(created[15], "Bauhof hat sich die Stelle angesehen.", worker)
    workflow.answer(created[15], "Wir haben das Schlagloch gesehen und beauftragen die Reparatur.", worker)
    return created


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))


def test_backoffice_pages_are_accessible(page, new_page, url, login, axe_check, worker, reports):
    login(page, worker)
    page.goto(url("/verwaltung/anliegen/"))
    expect(page.get_by_role("heading", name="Anliegen", level=1)).to_be_visible()
    axe_check(page)
    shoot(page, "queue-1280")

    report = reports[15]
    page.goto(url(f"/verwaltung/anliegen/{report.pk}/"))
    axe_check(page)
    shoot(page, "report-1280")

    page.goto(url("/verwaltung/anliegen/dashboard/"))
    axe_check(page)
    shoot(page, "dashboard-1280")

    page.goto(url("/verwaltung/anliegen/vorlagen/"))
    axe_check(page)

    phone = new_page(width=390, height=844)
    login(phone, worker)
    phone.goto(url("/verwaltung/anliegen/"))
    axe_check(phone)
    shoot(phone, "queue-390")
    phone.goto(url(f"/verwaltung/anliegen/{report.pk}/"))
    shoot(phone, "report-390")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"report page scrolls sideways on a phone ({width} px)"


def test_state_change_with_template_without_javascript(new_page, url, login, worker, reports):
    page = new_page(java_script_enabled=False)
    login(page, worker)
    report = reports[2]
    page.goto(url(f"/verwaltung/anliegen/{report.pk}/"))
    page.get_by_label("Neuer Status").select_option(State.FIXED)
    page.locator("#state-heading ~ form").get_by_label("Antwortvorlage").select_option(
        label="erledigt: Schlagloch verfüllt"
    )
    page.locator("#state-heading ~ form").get_by_role("button", name="Vorlage einfügen").click()
    text = page.get_by_label("Nachricht an die meldende Person (öffentlich)")
    assert text.input_value() == "Das Schlagloch wurde verfüllt. Danke!"
    page.get_by_role("button", name="Status speichern").click()
    expect(page.get_by_text("Status „erledigt“ gespeichert.")).to_be_visible()
    report.refresh_from_db()
    assert report.state == State.FIXED
