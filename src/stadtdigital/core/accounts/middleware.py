"""Staff sessions: idle timeout and the two-factor gate.

Works only on requests that carry a session and a user (SessionMiddleware, AuthenticationMiddleware and
django-otp's OTPMiddleware before it); on requests without them (Open311, when its requests skip those
middlewares) it does nothing.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext as _

from stadtdigital.core.accounts import twofactor

LAST_SEEN_KEY = "stadtdigital_last_seen"
# The session's expiry moves with activity; writing it at most once a minute keeps reads cheap.
LAST_SEEN_RESOLUTION = 60
# Reachable while the second factor is still missing: signing in and out, the two-factor pages, assets.
OPEN_PATH_PREFIXES = ("/static/", "/media/", "/i18n/", "/healthz")
OPEN_URL_NAMES = (
    "core:login",
    "core:logout",
    "core:otp_verify",
    "core:otp_setup",
    "core:otp_recovery_codes",
)


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        # No session cookie: nobody is signed in; no need to load anything.
        if session is None or user is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        if not user.is_authenticated:
            return None
        now = int(time.time())
        last_seen = session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            messages.info(
                request, _("Ihre Sitzung ist wegen Inaktivität abgelaufen. Bitte melden Sie sich neu an.")
            )
            return redirect_to_login(request.get_full_path())
        if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_KEY] = now
            session.set_expiry(settings.SESSION_IDLE_TIMEOUT)
        return self.two_factor_gate(request, user)

    def two_factor_gate(self, request, user):
        if user.is_verified() or self.is_open_path(request.path_info):
            return None
        # A sign-in through the city's identity provider: its own multi-factor policy applies.
        if "oidc" in request.session.get(BACKEND_SESSION_KEY, "").lower():
            return None
        if twofactor.has_any_device(user):
            return redirect_to_login(request.get_full_path(), reverse("core:otp_verify"))
        if twofactor.is_required(user):
            return redirect_to_login(request.get_full_path(), reverse("core:otp_setup"))
        return None

    @staticmethod
    def is_open_path(path):
        if path.startswith(OPEN_PATH_PREFIXES):
            return True
        return path in {reverse(name) for name in OPEN_URL_NAMES}
