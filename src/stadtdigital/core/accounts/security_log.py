"""One logger for what a city's security officer reviews: lockouts, sign-ins by SSO, two-factor changes."""

import ipaddress
import logging

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from stadtdigital.core.http import client_ip

log = logging.getLogger("stadtdigital.security")


def connect_signals():
    from axes.signals import user_locked_out

    user_locked_out.connect(_log_lockout, dispatch_uid="stadtdigital_log_lockout")


def _log_lockout(sender, request, username=None, ip_address=None, **kwargs):
    log.warning(
        "login locked out: username=%r address=%s (unlock: stadtdigital axes_reset_username / axes_reset_ip)",
        username,
        ip_address,
    )


@receiver(user_logged_in, dispatch_uid="stadtdigital_log_login")
def _log_login(sender, request, user, **kwargs):
    method = "sso" if "oidc" in getattr(user, "backend", "").lower() else "password"
    log.info(
        "login: username=%r method=%s address=%s",
        user.get_username(),
        method,
        client_ip(request) if request is not None else "-",
    )


def axes_client_ip(request) -> str:
    """core.http.client_ip for django-axes, always a valid address: axes stores it in an IP address column
    (PostgreSQL rejects anything else). Requests without an address (internal ones, e.g. force_login)
    share 0.0.0.0."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return "0.0.0.0"  # noqa: S104 - a placeholder value, nothing binds to it
    return address
