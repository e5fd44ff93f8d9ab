"""The four flows of issue 9, end to end in Chromium, on the demo's category catalogue and street list.

Citizens: (a) mouse, map pin and a JPEG photo on a desktop; (b) keyboard only (no clicks: only key presses
and typing), by street name; (c) without JavaScript on a 375×812 phone, with a street the list does not know,
choosing one of the streets offered (also at 320 px, the narrowest screen WCAG 1.4.10 names). Each confirms
through the link in the confirmation mail (SITE_URL is the live server, so the link is followed as sent) and
finds the report on /anliegen/.
Staff: a case worker of the Tiefbauamt finds a new report under "Neu", accepts it, sees the answers to the
category's questions, writes a public answer and an internal note, closes it as "erledigt"; the citizen's page
shows it; a report of another department answers 403.

Screenshots of every flow go to $FLOW_SCREENSHOTS when set.
"""

import io
import os
import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from stadtdigital.core import roles
from stadtdigital.reports.demo import ensure_catalogue
from stadtdigital.reports.models import Event, EventKind, Report, State, Visibility
from stadtdigital.reports.services.intake import ReportInput, submit_report
from tests.conftest import make_user

SCREENSHOTS = os.environ.get("FLOW_SCREENSHOTS", "")
CONFIRM_LINK = re.compile(r"https?://\S+/anliegen/bestaetigen/\S+/")


def shot(page, name):
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def patient(page):
    """A flow runs many pages on a shared, busy machine: a minute per step before failing, not 10 s."""
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    return page


@pytest.fixture
def catalogue(settings, live_server, tmp_path):
    settings.SITE_URL = live_server.url  # links in mails lead to this server
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return ensure_catalogue()


@pytest.fixture
def jpeg(tmp_path):
    path = tmp_path / "laterne.jpg"
    image = Image.new("RGB", (640, 480), (30, 40, 60))
    for x in range(280, 360):
        for y in range(60, 420):
            image.putpixel((x, y), (200, 200, 180))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def link_from_mail(to: str) -> str:
    bodies = [message.body for message in mail.outbox if to in message.to]
    assert bodies, f"no mail to {to}"
    return CONFIRM_LINK.search(bodies[-1]).group(0)


def active_id(page) -> str:
    return page.evaluate(
        "(el => el ? el.id || el.name || el.textContent.trim() : '')(document.activeElement)"
    )


def tab_to(page, test: str, limit: int = 60) -> None:
    """Presses Tab until the JS expression `test` (about document.activeElement) holds."""
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({test}); }})()"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {test}; focus is on {active_id(page)!r}")


def find_on_list(page, url, description: str) -> None:
    page.goto(url("/anliegen/?status=alle&sortierung=neu"))
    assert description in page.content(), "the confirmed report is not on /anliegen/"


# --- (a) mouse, map, photo ------------------------------------------------------------------------------


def test_citizen_with_mouse_map_pin_and_photo(page, url, catalogue, jpeg):
    patient(page)
    page.goto(url("/anliegen/neu/"))
    page.get_by_label("Kategorie").select_option("strassenbeleuchtung")
    page.locator("#map").click(position={"x": 420, "y": 200})
    status = page.locator("#pin-status")
    status.filter(has_text=re.compile(r"nahe .+ \d+–\d+")).wait_for()
    assert "(" not in status.inner_text(), "the pin is described by coordinates"
    place = re.search(r"nahe (.+)$", status.inner_text()).group(0)
    shot(page, "a1-pin")
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url("**/anliegen/neu/?**")
    expect(page.locator("#schritt-2")).to_be_focused()
    assert place in page.locator("#place-summary").inner_text()
    page.get_by_label("Mastnummer").fill("07-123")
    page.get_by_label("leuchtet nicht").check()
    description = "Laterne am Spielplatz bleibt seit drei Nächten dunkel"
    page.get_by_label("Beschreibung").fill(description)
    page.get_by_label("Fotos (bis zu 5, freiwillig)").set_input_files(str(jpeg))
    page.get_by_label("E-Mail").fill("maus@example.org")
    page.get_by_label(re.compile("Datenschutzhinweise gelesen")).check()
    shot(page, "a2-details")
    page.get_by_role("button", name="Anliegen absenden").click()
    page.wait_for_url("**/anliegen/neu/danke/")
    report = Report.objects.get(description=description)
    assert report.visibility == Visibility.PENDING_CONFIRMATION and report.photos.count() == 1

    page.goto(link_from_mail("maus@example.org"))
    page.get_by_role("button", name="Meldung jetzt bestätigen").click()
    page.get_by_text("jetzt öffentlich").wait_for()
    find_on_list(page, url, description)
    page.get_by_role("link", name=re.compile("Straßenbeleuchtung")).first.click()
    expect(page.locator(".photo-list img")).to_have_count(1)
    assert "07-123" in page.content() and "leuchtet nicht" in page.content()
    shot(page, "a3-public-page")


# --- (b) keyboard only ------------------------------------------------------------------------------------


def test_citizen_with_keyboard_only_by_street_name(page, url, catalogue):
    patient(page)
    page.goto(url("/anliegen/neu/"))
    tab_to(page, "el.id === 'id_kategorie'")
    for _ in range(30):
        if page.evaluate("document.getElementById('id_kategorie').value") == "strassenbeleuchtung":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.getElementById('id_kategorie').value") == "strassenbeleuchtung"
    tab_to(page, "el.id === 'id_adresse'")
    page.keyboard.type("Hauptstraße 12")
    tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Weiter'")
    shot(page, "b1-step1")
    page.keyboard.press("Enter")
    page.wait_for_url("**/anliegen/neu/?**")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'schritt-2'")
    assert page.url.endswith("#schritt-2")
    shot(page, "b2-step2-focus")
    tab_to(page, "el.name === 'attr_mastnummer'", limit=10)  # a few tabs from the heading, not 8 from <body>
    page.keyboard.type("12-345")
    tab_to(page, "el.name === 'attr_defekt'")
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'description'")
    description = "Laterne flackert, nur mit der Tastatur gemeldet"
    page.keyboard.type(description)
    tab_to(page, "el.name === 'email'")
    page.keyboard.type("tastatur@example.org")
    tab_to(page, "el.name === 'privacy_consent'")
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Anliegen absenden'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/anliegen/neu/danke/")
    report = Report.objects.get(description=description)
    assert report.address == "Hauptstraße 12"
    assert {a.question.code: a.value for a in report.attribute_values.select_related("question")} == {
        "mastnummer": "12-345",
        "defekt": "leuchtet-nicht",
    }

    page.goto(link_from_mail("tastatur@example.org"))
    tab_to(page, "el.type === 'submit' && el.textContent.includes('Meldung jetzt bestätigen')")
    page.keyboard.press("Enter")
    page.get_by_text("jetzt öffentlich").wait_for()
    find_on_list(page, url, description)
    shot(page, "b3-list")


# --- (c) no JavaScript, phone, a street the list does not know ----------------------------------------------


@pytest.mark.parametrize("width", [375, 320])
def test_citizen_without_javascript_on_a_phone_chooses_an_offered_street(new_page, url, catalogue, width):
    page = patient(new_page(width=width, height=812, java_script_enabled=False))
    page.goto(url("/anliegen/neu/"))
    assert not page.locator("#map-block").is_visible()
    assert "Karte" not in page.locator("main").inner_text().replace("Karte zur Auswahl", "")
    page.get_by_label("Kategorie").select_option("strassenbeleuchtung")
    page.get_by_label("Straße und Hausnummer oder markanter Ort").fill("Lindenweg 4")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_text("Meinten Sie eine dieser Straßen?").wait_for()
    shot(page, f"c1-choices-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Lindenstraße 4").click()
    page.wait_for_url(re.compile(r".*#schritt-2$"))
    assert "Lindenstraße 4" in page.locator("#place-summary").inner_text()
    page.get_by_label("leuchtet tagsüber").check()
    description = "Laterne brennt auch am Tag, gemeldet ohne JavaScript"
    page.get_by_label("Beschreibung").fill(description)
    page.get_by_label("E-Mail").fill("ohnejs@example.org")
    page.get_by_label(re.compile("Datenschutzhinweise gelesen")).check()
    shot(page, f"c2-details-{width}")
    page.get_by_role("button", name="Anliegen absenden").click()
    page.wait_for_url("**/anliegen/neu/danke/")

    page.goto(link_from_mail("ohnejs@example.org"))
    page.get_by_role("button", name="Meldung jetzt bestätigen").click()
    page.get_by_text("jetzt öffentlich").wait_for()
    find_on_list(page, url, description)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"c3-list-{width}")
    assert Report.objects.get(description=description).address == "Lindenstraße 4"


# --- staff ----------------------------------------------------------------------------------------------


def test_case_worker_handles_a_new_report_and_cannot_open_another_departments(page, url, login, catalogue):
    patient(page)
    lighting, rubbish = catalogue["strassenbeleuchtung"], catalogue["wilder-muell"]
    worker = make_user("demo-tiefbau-test", roles.DEPARTMENT_STAFF, [lighting.department])
    new = submit_report(
        ReportInput(
            category=lighting,
            address="Bahnhofstraße 20",
            description="Laterne gegenüber der Bushaltestelle ist aus",
            attributes={"mastnummer": "03-456", "defekt": "leuchtet-nicht"},
        ),
        client_ip=None,
    ).report
    other = submit_report(
        ReportInput(
            category=rubbish, address="Marktplatz", description="Sperrmüll", attributes={"art": ["sonstiges"]}
        ),
        client_ip=None,
    ).report
    assert other.department != lighting.department

    login(page, worker)
    page.goto(url("/verwaltung/anliegen/"))
    page.locator("nav.queue-tabs a.tab-neu").click()
    assert page.locator("nav.queue-tabs a.tab-neu").get_attribute("aria-current") == "page"
    shot(page, "s1-queue-neu")
    page.get_by_role("link", name=f"#{new.pk}").click()
    answers = page.locator("section.report-answers")
    assert "Mastnummer" in answers.inner_text() and "03-456" in answers.inner_text()
    assert "leuchtet nicht" in answers.inner_text()

    state_form = page.locator(f"form[action^='/verwaltung/anliegen/{new.pk}/status/']")
    state_form.locator("select[name=state]").select_option(State.IN_PROGRESS)
    state_form.get_by_role("button", name="Status speichern").click()
    page.wait_for_load_state()
    public_answer = "Wir tauschen das Leuchtmittel am Donnerstag."
    answer_form = page.locator(f"form[action^='/verwaltung/anliegen/{new.pk}/antwort/']")
    answer_form.locator("textarea").fill(public_answer)
    answer_form.get_by_role("button", name="Antwort veröffentlichen").click()
    page.wait_for_load_state()
    note = "Mast 03-456 ist schon der dritte Ausfall, Kabel prüfen lassen"
    note_form = page.locator(f"form[action^='/verwaltung/anliegen/{new.pk}/notiz/']")
    note_form.locator("textarea").fill(note)
    note_form.get_by_role("button", name="Notiz speichern").click()
    page.wait_for_load_state()
    state_form = page.locator(f"form[action^='/verwaltung/anliegen/{new.pk}/status/']")
    state_form.locator("select[name=state]").select_option(State.FIXED)
    state_form.locator("textarea[name=public_text]").fill("Das Leuchtmittel wurde getauscht.")
    state_form.get_by_role("button", name="Status speichern").click()
    page.wait_for_load_state()
    shot(page, "s2-case-page")

    new.refresh_from_db()
    assert new.state == State.FIXED and not new.is_open
    answer_event = Event.objects.get(report=new, kind=EventKind.ANSWER)
    assert answer_event.public_text == public_answer and answer_event.internal_note == ""
    note_event = Event.objects.get(report=new, kind=EventKind.NOTE, internal_note=note)
    assert note_event.public_text == "" and not note_event.is_public

    page.goto(url(f"/anliegen/{new.pk}/"))
    public = page.content()
    assert "erledigt" in page.locator("main").inner_text()
    assert public_answer in public and "Das Leuchtmittel wurde getauscht." in public
    assert note not in public and "Kabel prüfen" not in public
    shot(page, "s3-citizen-page")

    response = page.goto(url(f"/verwaltung/anliegen/{other.pk}/"))
    assert response.status == 403
    # The German 403 page in the site's layout, with a way on.
    assert page.locator("header.site-header").count() == 1
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kein Zugriff")
    assert page.get_by_role("link", name="Zur Startseite der Verwaltung").count() >= 1
