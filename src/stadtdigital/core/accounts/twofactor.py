"""Two-factor authentication with django-otp: a TOTP app and one-time recovery codes (static device)."""

import secrets

import segno
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stadtdigital.core.accounts.security_log import log

SUPERUSER_ROLE = "superuser"
TOTP_NAME = "Authenticator-App"
RECOVERY_NAME = "Wiederherstellungscodes"
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are typed from paper


def is_required(user) -> bool:
    """True when one of the user's roles is listed in OTP_REQUIRED_ROLES."""
    required = set(settings.OTP_REQUIRED_ROLES)
    if not required or not user.is_authenticated:
        return False
    if user.is_superuser and SUPERUSER_ROLE in required:
        return True
    return user.groups.filter(name__in=required).exists()


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_any_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (created on first call; a fresh key each new setup)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as an inline SVG QR code (no inline styles, CSP-safe)."""
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=4, dark="#000", light="#fff")


def provisioning_uri(device: TOTPDevice) -> str:
    # django-otp builds the otpauth:// URI with issuer and account name from OTP_TOTP_ISSUER.
    return device.config_url


def base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_totp(device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; returns the new recovery codes, or None."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log.info("two-factor enabled: username=%r", device.user.get_username())
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with OTP_RECOVERY_CODES fresh ones (each valid once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_NAME})
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(settings.OTP_RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def disable(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log.info("two-factor disabled: username=%r", user.get_username())


class Throttled(Exception):
    """Too many wrong codes just now: django-otp makes the device wait (1 s, 2 s, 4 s ...)."""


def verify(user, token: str):
    """The device that accepts `token` (a six-digit app code or a recovery code), or None.

    Each device throttles failures itself (django-otp: growing delays), so guessing codes does not scale;
    raises Throttled while every matching device is waiting.
    """
    token = token.strip().replace(" ", "").lower()
    model = TOTPDevice if token.isdigit() else StaticDevice
    devices = list(model.objects.filter(user=user, confirmed=True))
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if devices and not allowed:
        raise Throttled
    for device in allowed:
        if device.verify_token(token):
            if isinstance(device, StaticDevice):
                log.info("recovery code used: username=%r", user.get_username())
            return device
    log.info("two-factor code rejected: username=%r", user.get_username())
    return None
