# ruff: noqa: F811  (pytest fixtures imported from other test modules are parameters here)
"""The back-office pages of issue 12 in Chromium: send targets list and form ("Empfangsstellen"),
"Versand fehlgeschlagen" with "erneut senden", and the areas map with its table (also without JavaScript).
Each: axe (serious/critical), its main action with the keyboard only (Tab to it, Enter), and no sideways
scrolling at a 320 px wide screen (WCAG 1.4.10)."""

import json
import re

import pytest
from playwright.sync_api import expect

from stadtdigital.core import roles
from stadtdigital.reports.models import (
    CategorySending,
    Dispatch,
    DispatchState,
    SendMethod,
    SendTarget,
)
from stadtdigital.reports.sending.areas import forget_index, import_areas
from tests.conftest import make_user
from tests.reports.conftest import category, category_group, make_report, other_category  # noqa: F401

PHONE_WIDTH = 320


def tab_to(page, locator, limit=120) -> int:
    """Presses Tab until `locator` has the keyboard focus; fails when it is not reachable."""
    locator.wait_for()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"not reachable with Tab in {limit} steps: {locator}")


def assert_fits_phone(new_page, url, login, user, path):
    phone = new_page(width=PHONE_WIDTH, height=700)
    login(phone, user)
    phone.goto(url(path))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{path} scrolls sideways at {PHONE_WIDTH} px ({width} px)"
    return phone


@pytest.fixture
def office(db):
    return make_user("cdo", roles.DIGITAL_OFFICE)


@pytest.fixture
def worker(department):
    return make_user("sachbearbeitung", roles.DEPARTMENT_STAFF, [department])


@pytest.fixture
def bauhof(category):  # noqa: F811
    target = SendTarget.objects.create(
        name="Bauhof", method=SendMethod.EMAIL, endpoint="bauhof@stadt.example"
    )
    CategorySending.objects.create(category=category, target=target)
    return target


@pytest.fixture
def failed(make_report, bauhof):  # noqa: F811
    report = make_report(description="Gullydeckel fehlt an der Kreuzung")
    return Dispatch.objects.create(
        report=report,
        target=bauhof,
        reason="new",
        state=DispatchState.FAILED,
        attempts=6,
        last_error="Mailserver: (451, b'4.3.0 Mailbox voll, bitte spaeter erneut versuchen')",
    )


def test_send_targets_list_and_form_by_keyboard(page, new_page, url, login, axe_check, office, bauhof):
    login(page, office)
    page.goto(url("/verwaltung/anliegen/empfangsstellen/"))
    expect(page.get_by_role("heading", name="Empfangsstellen", level=1)).to_be_visible()
    axe_check(page)

    tab_to(page, page.get_by_role("link", name="Neue Empfangsstelle"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/empfangsstellen/neu/")
    axe_check(page)
    # Sent without a name and with a webhook lacking its URL: errors, nothing stored, focus on the summary.
    tab_to(page, page.get_by_label("Versandart"))
    for _ in range(4):
        page.keyboard.press("ArrowDown")  # past the empty choice to the last method: webhook
    expect(page.get_by_label("Versandart")).to_have_value("webhook")
    tab_to(page, page.get_by_role("button", name="Speichern"))
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte eine http(s)-Adresse angeben.")
    expect(summary).to_contain_text("Ein Webhook braucht einen Signaturschlüssel.")
    assert SendTarget.objects.count() == 1
    axe_check(page)

    tab_to(page, page.get_by_label(re.compile(r"^Name")))
    page.keyboard.type("Stadtwerke")
    tab_to(page, page.get_by_label("Versandart"))
    for _ in range(3):
        page.keyboard.press("ArrowUp")  # back to the first method: record only
    expect(page.get_by_label("Versandart")).to_have_value("record")
    tab_to(page, page.get_by_role("button", name="Speichern"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/empfangsstellen/")
    expect(page.get_by_text("Empfangsstelle „Stadtwerke“ gespeichert.")).to_be_visible()
    assert SendTarget.objects.filter(name="Stadtwerke").exists()
    axe_check(page)

    assert_fits_phone(new_page, url, login, office, "/verwaltung/anliegen/empfangsstellen/")
    assert_fits_phone(new_page, url, login, office, f"/verwaltung/anliegen/empfangsstellen/{bauhof.pk}/")


def test_failed_queue_resend_by_keyboard(page, new_page, url, login, axe_check, worker, failed):
    login(page, worker)
    page.goto(url("/verwaltung/anliegen/versand/"))
    expect(page.get_by_role("heading", name="Versand fehlgeschlagen", level=1)).to_be_visible()
    expect(page.get_by_text("Mailbox voll")).to_be_visible()
    axe_check(page)

    button = page.get_by_role("button", name=re.compile(rf"^erneut senden\s*: #{failed.report_id}$"))
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(f"Anliegen #{failed.report_id} wird erneut an „Bauhof“ gesendet.")
    ).to_be_visible()
    failed.refresh_from_db()
    assert failed.state == DispatchState.SENT  # queued again and taken by the tests' mail backend
    expect(page.get_by_text("Keine fehlgeschlagenen Übermittlungen.")).to_be_visible()
    axe_check(page)

    Dispatch.objects.filter(pk=failed.pk).update(state=DispatchState.FAILED, last_error="Zeitüberschreitung")
    assert_fits_phone(new_page, url, login, worker, "/verwaltung/anliegen/versand/")


@pytest.fixture
def areas(tmp_path, db):
    landkreis = SendTarget.objects.create(
        name="Landratsamt", method=SendMethod.EMAIL, endpoint="lra@example.org"
    )
    corridor = [[[9.19, 49.10], [9.20, 49.10], [9.20, 49.19], [9.19, 49.19], [9.19, 49.10]]]
    path = tmp_path / "kreisstrassen.geojson"
    feature = {
        "type": "Feature",
        "properties": {"name": "K 2110"},
        "geometry": {"type": "Polygon", "coordinates": corridor},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    import_areas(str(path), target=landkreis)
    forget_index()
    yield landkreis
    forget_index()


def test_areas_map_and_its_table_with_and_without_javascript(
    page, new_page, url, login, axe_check, office, areas
):
    login(page, office)
    page.goto(url("/verwaltung/anliegen/gebiete/"))
    expect(page.locator("#areas-map")).to_be_visible()
    expect(page.locator("#areas-map path.leaflet-interactive")).to_have_count(1)  # the polygon is drawn
    expect(page.get_by_role("row", name="K 2110 Landratsamt alle")).to_be_visible()
    axe_check(page)
    # Keyboard: the map (Leaflet's container, zoom buttons, attribution links) is no trap: Tab goes past it.
    page.locator("#areas-map").focus()
    inside = "map => map.contains(document.activeElement)"
    for _ in range(15):  # the map, its zoom buttons and the basemap's attribution links
        page.keyboard.press("Tab")
        if not page.locator("#areas-map").evaluate(inside):
            break
    assert not page.locator("#areas-map").evaluate(inside), "Tab does not leave the map"

    no_js = new_page(java_script_enabled=False)
    login(no_js, office)
    no_js.goto(url("/verwaltung/anliegen/gebiete/"))
    assert not no_js.locator("#areas-map").is_visible()  # no empty map box
    expect(no_js.get_by_role("row", name="K 2110 Landratsamt alle")).to_be_visible()
    # (axe needs JavaScript in the page: the no-JS page is the same HTML without the map, checked above.)

    assert_fits_phone(new_page, url, login, office, "/verwaltung/anliegen/gebiete/")
