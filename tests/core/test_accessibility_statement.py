"""/barrierefreiheit/: the parts BITV 2.0 § 7 asks for, from settings; the feedback form stores, mails,
rate-limits and is answered in the back office; /leichte-sprache/ with the optional DGS video."""

import pytest
from django.core import mail

from stadtdigital.core import roles
from stadtdigital.core.models import AccessibilityFeedback
from tests.conftest import make_user

MESSAGE = {
    "message": "Das Diagramm im Bericht 2021 kann ich nicht vorlesen lassen.",
    "email": "a@example.org",
}


@pytest.fixture
def statement_settings(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrierefreiheit@stadt.example"
    settings.ACCESSIBILITY_STATEMENT_DATE = "2026-11-30"
    settings.ACCESSIBILITY_CONFORMANCE = "partial"
    return settings


@pytest.mark.django_db
def test_statement_has_every_required_part(client, statement_settings):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "teilweise vereinbar" in html  # conformance status
    assert "Nicht barrierefreie Inhalte" in html and "Screenreader" in html  # what is not accessible, why
    assert "30. November 2026" in html  # date of the statement
    assert 'name="message"' in html and "barrierefreiheit@stadt.example" in html  # feedback mechanism
    assert 'href="https://www.schlichtungsstelle-bgg.de"' in html  # enforcement procedure


@pytest.mark.django_db
def test_every_page_links_statement_in_footer_and_easy_language_in_header(client):
    for path in ("/", "/projekte/", "/anliegen/", "/gibt-es-nicht/"):
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer"') :]
        header = html[html.index('<header class="site-header"') : html.index("</header>")]
        assert 'href="/barrierefreiheit/"' in footer, path
        assert 'href="/leichte-sprache/"' in header, path


@pytest.mark.django_db(transaction=True)
def test_feedback_is_stored_mailed_and_answered(client, statement_settings):
    response = client.post("/barrierefreiheit/", MESSAGE, follow=True)
    assert (
        response.status_code == 200 and "Ihre Nachricht ist bei uns eingegangen" in response.content.decode()
    )
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.email == "a@example.org"
    assert mail.outbox[-1].to == ["barrierefreiheit@stadt.example"]
    assert "Diagramm im Bericht 2021" in mail.outbox[-1].body
    assert f"/verwaltung/barrierefreiheit/{feedback.pk}/" in mail.outbox[-1].body

    office = make_user("cdo", roles.DIGITAL_OFFICE)
    client.force_login(office)
    listing = client.get("/verwaltung/barrierefreiheit/").content.decode()
    assert "Diagramm im Bericht 2021" in listing and "offen" in listing
    client.post(f"/verwaltung/barrierefreiheit/{feedback.pk}/", {"answer": "Wir ergänzen eine Textfassung."})
    feedback.refresh_from_db()
    assert feedback.answer == "Wir ergänzen eine Textfassung." and feedback.answered_by == office
    assert mail.outbox[-1].to == ["a@example.org"] and "Textfassung" in mail.outbox[-1].body


@pytest.mark.django_db
def test_bad_feedback_is_rejected_and_nothing_stored(client, statement_settings):
    response = client.post("/barrierefreiheit/", {"message": "kurz"})
    assert response.status_code == 400
    assert "mindestens 10 Zeichen" in response.content.decode()
    assert not AccessibilityFeedback.objects.exists()


@pytest.mark.django_db
def test_honeypot_stores_nothing(client, statement_settings):
    response = client.post("/barrierefreiheit/", {**MESSAGE, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not AccessibilityFeedback.objects.exists()


@pytest.mark.django_db
def test_feedback_is_rate_limited(client, statement_settings):
    statement_settings.ACCESSIBILITY_FEEDBACK_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert client.post("/barrierefreiheit/", MESSAGE).status_code == 302
    response = client.post("/barrierefreiheit/", MESSAGE)
    assert response.status_code == 429 and "Zu viele Nachrichten" in response.content.decode()
    assert AccessibilityFeedback.objects.count() == 2


@pytest.mark.django_db
def test_only_the_digital_office_sees_feedback(client, department_user):
    AccessibilityFeedback.objects.create(message="Eine Barriere", email="geheim@example.org")
    client.force_login(department_user)
    response = client.get("/verwaltung/barrierefreiheit/")
    assert response.status_code == 403
    assert "geheim@example.org" not in response.content.decode()
    assert "geheim@example.org" not in client.get("/barrierefreiheit/").content.decode()


@pytest.mark.django_db
def test_easy_language_page_and_sign_language_slot(client, settings):
    html = client.get("/leichte-sprache/").content.decode()
    assert "Wie melde ich ein Problem?" in html and 'href="/anliegen/neu/"' in html
    assert 'href="/barrierefreiheit/"' in html
    assert "<video" not in html and "Gebärden" not in html
    settings.SIGN_LANGUAGE_VIDEO_URL = "https://video.stadt.example/dgs.mp4"
    html = client.get("/leichte-sprache/").content.decode()
    assert '<video controls preload="none" src="https://video.stadt.example/dgs.mp4"' in html
