"""Two-factor authentication (TOTP, django-otp): any staff member, mandatory per role, recovery codes.

Codes are computed from the device's key as an authenticator app does.
"""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stadtdigital.core import roles
from tests.conftest import make_user

PASSWORD = "correct-horse-battery"


def app_code(device, steps_ahead=0) -> str:
    """The six digits the authenticator app shows (optionally for a later 30 s step: codes work once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_login(client, username):
    response = client.post(
        reverse("core:login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.2.2.2"
    )
    assert response.status_code == 302
    return response


def enable_two_factor(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("core:otp_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    codes_page = client.post(reverse("core:otp_setup"), {"token": app_code(device)})
    assert codes_page.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page.content.decode())
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def cdo(db):
    return make_user("cdo", roles.DIGITAL_OFFICE)


def test_setup_page_shows_a_qr_code_as_svg_and_the_secret(client, cdo):
    password_login(client, "cdo")
    html = client.get(reverse("core:otp_setup")).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "style=" not in svg  # Content-Security-Policy: no inline styles
    device = TOTPDevice.objects.get(user=cdo)
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] in html and secret[-4:] in html


def test_staff_member_enables_two_factor_and_then_signs_in_with_a_code(cdo):
    client = Client()
    password_login(client, "cdo")
    device, codes = enable_two_factor(client)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("core:backoffice")).status_code == 200
    client.post(reverse("core:logout"))

    password_login(client, "cdo")
    gated = client.get(reverse("core:backoffice"))
    assert gated.status_code == 302 and gated.url.startswith(reverse("core:otp_verify"))
    assert client.get("/admin/").url.startswith(reverse("core:otp_verify"))

    wrong_code = "000000" if app_code(device, 1) != "000000" else "111111"
    wrong = client.post(reverse("core:otp_verify"), {"token": wrong_code, "next": "/verwaltung/"})
    assert "Der Code ist falsch" in wrong.content.decode()
    # Right after a wrong code the device waits (django-otp's throttle): guessing does not scale.
    throttled = client.post(
        reverse("core:otp_verify"), {"token": app_code(device, 1), "next": "/verwaltung/"}
    )
    assert "Zu viele falsche Codes" in throttled.content.decode()
    time.sleep(1.1)
    right = client.post(reverse("core:otp_verify"), {"token": app_code(device, 1), "next": "/verwaltung/"})
    assert right.status_code == 302 and right.url == "/verwaltung/"
    assert client.get(reverse("core:backoffice")).status_code == 200


def test_a_recovery_code_signs_in_once(cdo):
    client = Client()
    password_login(client, "cdo")
    _, codes = enable_two_factor(client)
    client.post(reverse("core:logout"))

    password_login(client, "cdo")
    assert client.post(reverse("core:otp_verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("core:backoffice")).status_code == 200
    assert StaticToken.objects.filter(device__user=cdo).count() == 9
    client.post(reverse("core:logout"))

    password_login(client, "cdo")
    again = client.post(reverse("core:otp_verify"), {"token": codes[0]})
    assert again.status_code == 200 and "Der Code ist falsch" in again.content.decode()
    assert client.get(reverse("core:backoffice")).status_code == 302


def test_with_only_the_password_a_second_device_cannot_be_set_up(cdo):
    client = Client()
    password_login(client, "cdo")
    enable_two_factor(client)
    client.post(reverse("core:logout"))

    password_login(client, "cdo")  # an attacker who knows the password
    response = client.get(reverse("core:otp_setup"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:otp_verify"))
    assert client.post(reverse("core:otp_disable")).url.startswith(reverse("core:otp_verify"))
    assert TOTPDevice.objects.filter(user=cdo, confirmed=True).count() == 1


def test_required_role_is_sent_to_setup_before_anything_else(settings, department):
    settings.OTP_REQUIRED_ROLES = [roles.DIGITAL_OFFICE, roles.LEITSTELLE, "superuser"]
    make_user("cdo", roles.DIGITAL_OFFICE)
    client = Client()
    password_login(client, "cdo")
    for path in (reverse("core:backoffice"), "/verwaltung/projekte/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("core:otp_setup")), path
    assert "vorgeschrieben" in client.get(reverse("core:otp_setup")).content.decode()
    enable_two_factor(client)
    assert client.get(reverse("core:backoffice")).status_code == 200
    # Required: it cannot be switched off.
    client.post(reverse("core:otp_disable"))
    assert TOTPDevice.objects.filter(user__username="cdo", confirmed=True).exists()

    make_user("fachbereich", roles.DEPARTMENT_STAFF, [department])
    other = Client()
    password_login(other, "fachbereich")
    assert other.get(reverse("core:backoffice")).status_code == 200  # not a required role


def test_superusers_can_be_required(settings, db):
    settings.OTP_REQUIRED_ROLES = ["superuser"]
    root = make_user("root")
    root.is_superuser = root.is_staff = True
    root.save()
    client = Client()
    password_login(client, "root")
    assert client.get("/admin/").url.startswith(reverse("core:otp_setup"))


def test_optional_two_factor_can_be_switched_off(cdo):
    client = Client()
    password_login(client, "cdo")
    enable_two_factor(client)
    client.post(reverse("core:otp_disable"))
    assert not TOTPDevice.objects.filter(user=cdo).exists()
    client.post(reverse("core:logout"))
    password_login(client, "cdo")
    assert client.get(reverse("core:backoffice")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(cdo):
    client = Client()
    password_login(client, "cdo")
    _, first = enable_two_factor(client)
    page = client.post(reverse("core:otp_recovery_codes"))
    second = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())
    assert len(second) == 10 and not set(first) & set(second)
    assert set(StaticToken.objects.filter(device__user=cdo).values_list("token", flat=True)) == set(second)
