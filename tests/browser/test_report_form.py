"""The citizen report form in Chromium: with the map and a photo (then confirming by the emailed link),
without JavaScript using only the address field, and axe checks of every state of the form."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from stadtdigital.reports.models import Category, CategoryGroup, PhotoStatus, Report, Visibility
from tests.reports.test_intake_helpers import exif_with_gps_and_orientation, jpeg_bytes


@pytest.fixture
def category(department):
    group = CategoryGroup.objects.create(name="Straße und Verkehr", position=1)
    Category.objects.create(
        code="ampel",
        name="Verkehrszeichen und Ampeln",
        group=group,
        department=department,
        emergency_notice="Bei Gefahr: Notruf 112",
    )
    return Category.objects.create(
        code="schlagloch", name="Straßenschäden und Schlaglöcher", group=group, department=department
    )


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "schlagloch.jpg"
    path.write_bytes(jpeg_bytes(size=(800, 600), exif=exif_with_gps_and_orientation(6)))
    return path


def test_report_with_photo_through_the_map_and_confirmation_link(page, url, category, photo_file, settings):
    settings.MEDIA_ROOT = str(photo_file.parent / "media")
    page.goto(url("/anliegen/neu/"))
    page.get_by_label("Kategorie").select_option("schlagloch")
    page.locator("#map").click(position={"x": 300, "y": 150})
    expect(page.locator("#id_lat")).not_to_have_value("")  # (no wait_for_function: CSP forbids its eval)
    assert "Ort auf der Karte markiert" in page.locator("#pin-status").inner_text()
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url("**/anliegen/neu/?**")
    page.get_by_label("Beschreibung").fill("Tiefes Schlagloch mitten auf der Fahrbahn")
    page.get_by_label("Fotos (bis zu 5, freiwillig)").set_input_files(str(photo_file))
    page.get_by_label("E-Mail").fill("anna@example.org")
    page.get_by_label(re.compile("Datenschutzhinweise gelesen")).check()
    page.get_by_role("button", name="Anliegen absenden").click()
    page.wait_for_url("**/anliegen/neu/danke/")
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in page.content()

    report = Report.objects.get()
    assert report.visibility == Visibility.PENDING_CONFIRMATION
    assert report.photos.get().status == PhotoStatus.READY
    link = re.search(r"https?://\S+/anliegen/bestaetigen/\S+/", mail.outbox[0].body).group(0)
    page.goto(url("/" + link.split("://", 1)[1].split("/", 1)[1]))
    report.refresh_from_db()
    assert report.visibility == Visibility.PENDING_CONFIRMATION  # opening the link alone changes nothing
    page.get_by_role("button", name="Meldung jetzt bestätigen").click()
    page.get_by_text("jetzt öffentlich").wait_for()
    report.refresh_from_db()
    assert report.visibility == Visibility.PUBLIC
    page.goto(url("/anliegen/"))
    assert "Tiefes Schlagloch mitten auf der Fahrbahn" in page.content()


def test_report_without_javascript_by_address(new_page, url, category):
    page = new_page(width=390, height=844, java_script_enabled=False)
    page.goto(url("/anliegen/neu/"))
    assert not page.locator("#map-block").is_visible()
    page.get_by_label("Kategorie").select_option("schlagloch")
    page.get_by_label("Straße und Hausnummer oder markanter Ort").fill("hauptstr 7")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_text("Hauptstraße 7").first.wait_for()
    page.get_by_label("Beschreibung").fill("Gullydeckel klappert laut")
    page.get_by_role("button", name="Anliegen absenden").click()
    page.wait_for_url("**/anliegen/neu/danke/")
    report = Report.objects.get()
    assert report.address == "Hauptstraße 7" and report.visibility == Visibility.PUBLIC
    assert f"<strong>{report.pk}</strong>" in page.content()


def test_form_states_pass_axe(page, url, category, make_report_at_hauptstrasse, axe_check):
    page.goto(url("/anliegen/neu/"))
    page.get_by_label("Kategorie").select_option("ampel")
    expect(page.get_by_text("Bei Gefahr: Notruf 112")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Weiter").click()  # nothing chosen: errors
    page.wait_for_selector("#error-summary")
    axe_check(page)
    page.get_by_label("Kategorie").select_option("schlagloch")
    page.get_by_label("Straße und Hausnummer oder markanter Ort").fill("Hauptstraße 3")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("heading", name="Schon gemeldet?").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Trotzdem neu melden").click()  # no description: errors in step 2
    page.wait_for_selector("#error-summary")
    expect(page.locator("#error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("Beschreibung").fill("Noch ein Loch daneben")
    page.get_by_role("button", name="Trotzdem neu melden").click()
    page.wait_for_url("**/danke/")
    axe_check(page)


@pytest.fixture
def make_report_at_hauptstrasse(category):
    from django.utils import timezone

    from stadtdigital.reports.geocoding import get_geocoder
    from stadtdigital.reports.services.history import record_event

    place = get_geocoder().locate("Hauptstraße 3")  # where the test types: the section with number 3
    now = timezone.now()
    report = Report.objects.create(
        category=category,
        department=category.department,
        lat=place.lat,
        lon=place.lon,
        description="Großes Schlagloch",
        created_at=now,
        updated_at=now,
    )
    record_event(report, "created", to_state="received")
    return report
