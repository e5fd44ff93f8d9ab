"""Entry to /verwaltung/: login for anonymous visitors, 403 (no redirect loop) for users without a role."""

from django.contrib.auth.models import User

from stadtdigital.core import roles
from tests.conftest import make_user


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/verwaltung/")
    assert response.status_code == 302
    assert response["Location"] == "/verwaltung/anmelden/?next=/verwaltung/"


def test_signed_in_user_without_role_gets_403_not_a_login_loop(client, db):
    client.force_login(User.objects.create_user("ohne-rolle", password="x" * 12))
    response = client.get("/verwaltung/")
    assert response.status_code == 403
    assert client.get("/verwaltung/projekte/").status_code == 403


def test_every_role_gets_in_and_sees_its_role(client, db):
    for role in (roles.DIGITAL_OFFICE, roles.DEPARTMENT_STAFF, roles.READ_ONLY):
        client.force_login(make_user(f"u-{role}", role))
        response = client.get("/verwaltung/")
        assert response.status_code == 200
        assert role in response.content.decode()


def test_login_page_signs_in_and_leads_to_backoffice(client, db):
    make_user("cdo", roles.DIGITAL_OFFICE)
    response = client.post(
        "/verwaltung/anmelden/", {"username": "cdo", "password": "correct-horse-battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/verwaltung/"
    assert "Handlungsfelder" in response.content.decode()


def test_backoffice_pages_are_not_cached(client, digital_office_user):
    client.force_login(digital_office_user)
    assert "no-cache" in client.get("/verwaltung/")["Cache-Control"]
