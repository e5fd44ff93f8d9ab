"""Login throttle (django-axes): wrong passwords lock out an account and an address; administrators unlock."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.urls import reverse

from stadtdigital.core import roles
from tests.conftest import make_user

PASSWORD = "correct-horse-battery"
LIMIT = 5


class CountingHasher(MD5PasswordHasher):
    """The test suite's hasher, counting how often a password is checked (= CPU spent on hashes)."""

    algorithm = "counting_md5"
    verified = 0

    def verify(self, password, encoded):
        CountingHasher.verified += 1
        return super().verify(password, encoded)


@pytest.fixture(autouse=True)
def _throttle(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.PASSWORD_HASHERS = ["tests.core.test_login_throttle.CountingHasher"]


@pytest.fixture
def cdo(db):
    return make_user("cdo", roles.DIGITAL_OFFICE)


def attempt(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("core:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_and_the_right_password_then_fails(client, cdo, caplog):
    for _ in range(LIMIT - 1):
        assert attempt(client, "cdo", "wrong-password").status_code == 200
    locked = attempt(client, "cdo", "wrong-password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in page
    assert 'class="site-header"' in page  # in the site's layout

    with caplog.at_level(logging.INFO, logger="stadtdigital.security"):
        right = attempt(client, "cdo", PASSWORD, address="198.51.100.9")  # another address: account locked
    assert right.status_code == 429
    assert not signed_in(client)
    assert any("locked out" in record.message and "'cdo'" in record.message for record in caplog.records)


def test_lockout_is_logged_when_it_happens(client, cdo, caplog):
    with caplog.at_level(logging.WARNING, logger="stadtdigital.security"):
        for _ in range(LIMIT):
            attempt(client, "cdo", "wrong-password")
    assert [r for r in caplog.records if r.name == "stadtdigital.security" and "locked out" in r.message]


def test_a_locked_out_attempt_computes_no_password_hash(client, cdo):
    for _ in range(LIMIT):
        attempt(client, "cdo", "wrong-password")
    hashes_before = CountingHasher.verified
    for _ in range(50):
        assert attempt(client, "cdo", "wrong-password").status_code == 429
    assert CountingHasher.verified == hashes_before


def test_many_accounts_from_one_address_lock_the_address(client, db):
    users = [make_user(f"user{i}", roles.READ_ONLY) for i in range(LIMIT + 1)]
    for user in users[:LIMIT]:
        attempt(client, user.username, "wrong-password", address="192.0.2.66")
    assert attempt(client, users[LIMIT].username, PASSWORD, address="192.0.2.66").status_code == 429
    assert not signed_in(client)
    assert attempt(client, users[LIMIT].username, PASSWORD, address="192.0.2.67").status_code == 302
    assert signed_in(client)


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(client, db, settings):
    settings.BEHIND_PROXY = True
    users = [make_user(f"user{i}", roles.READ_ONLY) for i in range(LIMIT + 1)]
    for number, user in enumerate(users[:LIMIT]):
        # The client makes up a new first entry each time; the proxy's entry (last) stays the same.
        attempt(
            client,
            user.username,
            "wrong",
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}, 192.0.2.5",
        )
    blocked = attempt(
        client, users[LIMIT].username, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 192.0.2.5"
    )
    assert blocked.status_code == 429
    other = attempt(
        client, users[LIMIT].username, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.6"
    )
    assert other.status_code == 302


def test_administrator_unlocks_with_the_command(client, cdo):
    for _ in range(LIMIT):
        attempt(client, "cdo", "wrong-password")
    assert attempt(client, "cdo", PASSWORD, address="198.51.100.9").status_code == 429

    call_command("axes_reset_username", "cdo")

    assert attempt(client, "cdo", PASSWORD, address="198.51.100.9").status_code == 302
    assert signed_in(client)


def test_administrator_unlocks_in_the_admin(client, cdo):
    for _ in range(LIMIT):
        attempt(client, "cdo", "wrong-password")
    assert admin.site.is_registered(AccessAttempt)
    superuser = make_user("root")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    admin_client = client.__class__()
    admin_client.force_login(superuser)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "cdo" in admin_client.get(changelist).content.decode()
    ids = list(AccessAttempt.objects.filter(username="cdo").values_list("pk", flat=True))
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert attempt(client, "cdo", PASSWORD, address="198.51.100.9").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, cdo):
    for _ in range(LIMIT - 1):
        attempt(client, "cdo", "wrong-password")
    assert attempt(client, "cdo", PASSWORD).status_code == 302
    client.post(reverse("core:logout"))
    for _ in range(LIMIT - 1):
        assert attempt(client, "cdo", "wrong-password").status_code == 200


def test_an_overlong_username_is_refused_by_the_form_before_any_password_check(client, db):
    # Found by tests/test_no_server_errors.py on PostgreSQL: the attempt's record has room for 255 characters.
    CountingHasher.verified = 0
    response = attempt(client, "x" * 300, PASSWORD)
    assert response.status_code == 200
    assert "höchstens 150 Zeichen" in response.content.decode()
    assert not AccessAttempt.objects.exists() and CountingHasher.verified == 0 and not signed_in(client)
