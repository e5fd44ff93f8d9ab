"""Staff sessions end after SESSION_IDLE_TIMEOUT idle; a password change ends the other sessions."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from stadtdigital.core import roles
from stadtdigital.core.accounts.middleware import LAST_SEEN_KEY
from tests.conftest import make_user

PASSWORD = "correct-horse-battery"


@pytest.fixture
def cdo(db):
    return make_user("cdo", roles.DIGITAL_OFFICE)


def backdate_last_seen(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_session_ends_after_the_idle_time(client, cdo, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    client.force_login(cdo)
    assert client.get(reverse("core:backoffice")).status_code == 200
    backdate_last_seen(client, 3601)
    response = client.get(reverse("core:backoffice"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))
    assert "_auth_user_id" not in client.session
    assert "Inaktivität" in client.get(response.url).content.decode()


def test_activity_keeps_the_session_alive(client, cdo, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    client.force_login(cdo)
    client.get(reverse("core:backoffice"))
    backdate_last_seen(client, 3000)
    assert client.get(reverse("core:backoffice")).status_code == 200  # refreshes last seen
    backdate_last_seen(client, 3000)
    assert client.get(reverse("core:backoffice")).status_code == 200


def test_session_expiry_follows_the_idle_time(client, cdo, settings):
    settings.SESSION_IDLE_TIMEOUT = 1800
    client.force_login(cdo)
    client.get(reverse("core:backoffice"))
    assert client.session.get_expiry_age() == 1800


def test_default_idle_time_is_eight_hours():
    from stadtdigital import settings as production

    assert production.SESSION_IDLE_TIMEOUT == 8 * 60 * 60


def test_changing_the_password_ends_the_other_sessions(cdo):
    office, laptop = Client(), Client()
    for client in (office, laptop):
        client.post(reverse("core:login"), {"username": "cdo", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
        assert client.get(reverse("core:backoffice")).status_code == 200

    response = office.post(
        reverse("core:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neues-Passwort-2026",
            "new_password2": "Neues-Passwort-2026",
        },
    )
    assert response.status_code == 302

    assert office.get(reverse("core:backoffice")).status_code == 200  # this session stays
    other = laptop.get(reverse("core:backoffice"))
    assert other.status_code == 302 and other.url.startswith(reverse("core:login"))
