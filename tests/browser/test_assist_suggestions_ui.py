# ruff: noqa: F811  (pytest fixtures imported from other test modules are parameters here)
"""The suggestion UI of issue 13 in Chromium: the citizen's category suggestions and "Schon gemeldet?" in
step 2 (with and without JavaScript), the case worker's suggested category and likely duplicates: axe
(serious/critical), the main action by keyboard only, and a 320 px wide screen."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from stadtdigital.core import roles
from stadtdigital.reports.models import Report, State
from tests.browser.test_sending_pages import PHONE_WIDTH, assert_fits_phone, tab_to
from tests.conftest import make_user
from tests.reports.assist_fixtures import lighting, trained  # noqa: F401
from tests.reports.conftest import category, category_group, make_report, other_category  # noqa: F401


def wait_until(page, check, seconds=10):
    """The form's POST runs in the live server thread: wait for its effect (the test's own assertion)."""
    for _ in range(seconds * 5):
        if check():
            return
        page.wait_for_timeout(200)
    raise AssertionError("the action had no effect")


def _to_step2(page, url, description=""):
    page.goto(url("/anliegen/neu/"))
    page.get_by_label("Kategorie").select_option("spielplatz")
    page.get_by_label("Straße und Hausnummer oder markanter Ort").fill("Hauptstraße 3")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Beschreibung").wait_for()


def test_citizen_gets_category_suggestions_and_picks_one_by_keyboard(
    page,
    new_page,
    url,
    axe_check,
    trained,
    category,
    make_report,  # noqa: F811
):
    from stadtdigital.reports.geocoding import get_geocoder

    place = get_geocoder().locate("Hauptstraße 3")
    make_report(category=category, lat=place.lat, lon=place.lon, description="Schlagloch am Spielplatz")
    _to_step2(page, url)
    description = page.get_by_label("Beschreibung")
    tab_to(page, description)
    page.keyboard.type("Tiefes Schlagloch auf der Fahrbahn, der Asphalt ist aufgebrochen")
    suggestions = page.locator("#category-suggestions")
    choice = suggestions.get_by_role("button", name="Straßenschäden und Schlaglöcher")
    choice.wait_for()
    assert page.get_by_role("heading", name="Schon gemeldet?").count() == 0  # other category: not shown
    axe_check(page)
    before = Report.objects.count()
    # Keyboard: from the description, Tab reaches the suggestion; Enter switches, nothing is applied before.
    tab_to(page, choice)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Kategorie geändert in „Straßenschäden und Schlaglöcher“")).to_be_visible()
    expect(page.locator("#report-form [name=kategorie]")).to_have_value("schlagloch")
    assert Report.objects.count() == before
    # Now in the pothole category near a known pothole: the duplicate hint, with its action by keyboard.
    page.get_by_role("heading", name="Schon gemeldet?").wait_for()
    axe_check(page)
    support = page.get_by_role("button", name=re.compile(r"^Betrifft mich auch\s*\(Meldung Nr\. \d+\)$"))
    tab_to(page, support)

    phone = new_page(width=PHONE_WIDTH, height=700)
    _to_step2(phone, url)
    phone.get_by_label("Beschreibung").fill(
        "Tiefes Schlagloch auf der Fahrbahn, der Asphalt ist aufgebrochen"
    )
    phone.locator("#category-suggestions").get_by_role("button").first.wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"step 2 with suggestions scrolls sideways ({width} px)"


def test_citizen_without_javascript_is_asked_once_before_sending(new_page, url, axe_check, trained):  # noqa: F811
    page = new_page(java_script_enabled=False)
    _to_step2(page, url)
    page.get_by_label("Beschreibung").fill("Tiefes Schlagloch auf der Fahrbahn, der Asphalt ist aufgebrochen")
    before = Report.objects.count()
    page.get_by_role("button", name="Anliegen absenden").click()
    page.get_by_role("heading", name="Passt eine dieser Kategorien besser?").wait_for()
    assert Report.objects.count() == before  # a pause, never an automatic change
    page.get_by_role("button", name="Anliegen absenden").click()  # keeps the citizen's own choice
    page.wait_for_url("**/danke/")
    assert Report.objects.order_by("-pk").first().category.code == "spielplatz"


def test_case_worker_accepts_a_suggestion_and_merges_a_duplicate_by_keyboard(
    page,
    new_page,
    url,
    login,
    axe_check,
    trained,
    category,
    other_category,
    make_report,
    department,  # noqa: F811
):
    team = make_user("spielplatz-team", roles.DEPARTMENT_STAFF, [department, other_category.department])
    now = timezone.now()
    older = make_report(
        category=category,
        description="Tiefes Schlagloch auf der Fahrbahn vor dem Spielplatz",
        created_at=now - datetime.timedelta(hours=5),
    )
    misfiled = make_report(
        category=other_category,
        description="Tiefes Schlagloch auf der Fahrbahn vor dem Spielplatz, Asphalt aufgebrochen",
        created_at=now - datetime.timedelta(hours=1),
    )
    login(page, team)
    page.goto(url(f"/verwaltung/anliegen/{misfiled.pk}/"))
    panel = page.locator("section", has=page.get_by_role("heading", name="Hinweise aus früheren Meldungen"))
    expect(panel).to_contain_text("Vorgeschlagene Kategorie: Straßenschäden und Schlaglöcher")
    expect(panel).to_contain_text(f"#{older.pk}")
    axe_check(page)

    tab_to(page, panel.get_by_role("button", name="In „Straßenschäden und Schlaglöcher“ umkategorisieren"))
    page.keyboard.press("Enter")
    wait_until(page, lambda: Report.objects.get(pk=misfiled.pk).category_id == category.pk)
    # The page after the redirect: no suggestion any more (it is the category now), the duplicate stays.
    expect(
        page.get_by_role("button", name="In „Straßenschäden und Schlaglöcher“ umkategorisieren")
    ).to_have_count(0)
    axe_check(page)

    merge = page.get_by_role("button", name=f"Als Duplikat von #{older.pk} zusammenführen")
    tab_to(page, merge)
    page.keyboard.press("Enter")
    wait_until(page, lambda: Report.objects.get(pk=misfiled.pk).state == State.DUPLICATE)
    expect(merge).to_have_count(0)
    assert Report.objects.get(pk=misfiled.pk).duplicate_of_id == older.pk
    axe_check(page)

    assert_fits_phone(new_page, url, login, team, f"/verwaltung/anliegen/{older.pk}/")
