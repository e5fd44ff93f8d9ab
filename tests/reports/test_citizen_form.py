"""The citizen form /anliegen/neu/ without a browser: steps, errors, honeypot, thanks, suggestions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stadtdigital.reports.models import Photo, Report, Visibility
from tests.reports.test_intake_helpers import jpeg_bytes, questions  # noqa: F401

NEW = "/anliegen/neu/"


def step2_data(**extra):
    return {
        "kategorie": "schlagloch",
        "adresse": "",
        "lat": "49.142",
        "lon": "9.21",
        "description": "Tiefes Loch",
        **extra,
    }


def test_step1_lists_grouped_categories_with_notice(client, category):
    category.emergency_notice = "Bei Gefahr: 112"
    category.save()
    response = client.get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Straße und Verkehr">' in html and "Straßenschäden und Schlaglöcher" in html
    assert "Bei Gefahr: 112" in html
    assert 'name="adresse"' in html and 'list="street-suggestions"' in html
    assert reverse("reports:new") == NEW


def test_step1_errors_keep_input(client, category):
    response = client.get(NEW, {"kategorie": "", "adresse": "Nirgendwo 1"})
    html = response.content.decode()
    assert 'role="alert"' in html and "Bitte wählen Sie eine Kategorie" in html
    assert "nicht gefunden" in html and 'value="Nirgendwo 1"' in html


def test_step2_by_address_shows_nearby_reports_and_questions(client, category, make_report, questions):  # noqa: F811
    from stadtdigital.reports.geocoding import get_geocoder

    place = get_geocoder().locate("Hauptstraße 12")  # the section of the street with number 12
    existing = make_report(lat=place.lat, lon=place.lon, description="Schlagloch am Bordstein")
    response = client.get(NEW, {"kategorie": "schlagloch", "adresse": "hauptstr 12", "lat": "", "lon": ""})
    html = response.content.decode()
    assert "Schon gemeldet?" in html and "Schlagloch am Bordstein" in html
    assert reverse("reports:support", kwargs={"pk": existing.pk}) in html
    assert "Trotzdem neu melden" in html
    assert "Hauptstraße 12" in html and "Gefahr für" in html and 'type="radio"' in html


def test_full_submit_redirects_to_thanks(client, category):
    response = client.post(NEW, step2_data(photos=[SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")]))
    assert response.status_code == 302 and response["Location"] == reverse("reports:thanks")
    report = Report.objects.get()
    assert report.visibility == Visibility.PUBLIC and report.photos.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert f"<strong>{report.pk}</strong>" in html and report.get_absolute_url() in html
    assert "data-clear-draft" in html


def test_submit_with_email_tells_about_confirmation(client, category):
    client.post(NEW, step2_data(email="a@example.org", privacy_consent="on"))
    html = client.get(reverse("reports:thanks")).content.decode()
    assert "Bestätigungslink" in html


def test_errors_next_to_fields_and_in_summary_everything_kept(client, category):
    response = client.post(
        NEW,
        step2_data(
            description="Lo",
            email="kaputt",
            name="Max Muster",
            photos=[SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")],
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html and 'role="alert"' in html
    assert (
        'href="#id_description"' in html
        and 'href="#id_email"' in html
        and 'href="#id_privacy_consent"' in html
    )
    assert "Lo</textarea>" in html and 'value="Max Muster"' in html and 'value="kaputt"' in html
    assert "Fotos noch einmal aus" in html
    assert not Report.objects.exists() and not Photo.objects.exists()


def test_honeypot_pretends_success_and_stores_nothing(client, category):
    response = client.post(NEW, step2_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Report.objects.exists()
    assert "Ihre Meldung ist eingegangen" in client.get(response["Location"]).content.decode()


def test_tampered_category_goes_back_to_step1(client, category):
    response = client.post(NEW, step2_data(kategorie="gibtsnicht"))
    assert response.status_code == 400 and 'id="id_kategorie"' in response.content.decode()


def test_rate_limit_answers_429(client, category, settings):
    settings.REPORT_RATE_LIMIT_PER_HOUR = 1
    client.post(NEW, step2_data())
    response = client.post(NEW, step2_data())
    assert response.status_code == 429 and "später noch einmal" in response.content.decode()


def test_thanks_without_submission_goes_to_form(client, db):
    assert client.get(reverse("reports:thanks"))["Location"] == NEW


def test_places_suggestions_and_nearby_preview(client, category, make_report):
    html = client.get(reverse("reports:places"), {"adresse": "haupt"}).content.decode()
    assert '<option value="Hauptstraße">' in html
    make_report(description="Loch in der Fahrbahn")
    html = client.get(
        reverse("reports:nearby"), {"kategorie": "schlagloch", "lat": "49.142", "lon": "9.21"}
    ).content.decode()
    assert "Loch in der Fahrbahn" in html
    html = client.get(reverse("reports:nearby"), {"kategorie": "", "lat": "", "lon": ""}).content.decode()
    assert html.strip() == ""


def test_privacy_page_and_landing_card(client, db):
    assert "Datenschutzhinweise" in client.get(reverse("reports:privacy")).content.decode()
    assert reverse("reports:new") in client.get("/").content.decode()


@pytest.mark.parametrize(
    "path", ["/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/images/marker-icon.png"]
)
def test_leaflet_is_served_from_the_xstatic_package(client, path):
    from django.contrib.staticfiles import finders

    assert finders.find(path.removeprefix("/static/"))


def test_step_2_starts_at_its_heading(client, category):
    step1 = client.get(NEW).content.decode()
    assert 'action="/anliegen/neu/#schritt-2"' in step1  # without JS the browser lands on the heading
    step2 = client.get(NEW, {"kategorie": "schlagloch", "adresse": "Hauptstraße", "lat": "", "lon": ""})
    html = step2.content.decode()
    heading = '<h2 id="schritt-2" class="step-heading" tabindex="-1">'
    assert heading + "Schritt 2 von 2: Details und absenden</h2>" in html
    assert html.index('id="schritt-2"') < html.index('id="report-form"')
