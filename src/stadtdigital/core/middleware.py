"""503 instead of 500 when the database or the file storage is away (decision 0021).

Rendered without touching the database: the 503 page extends the site layout but gets its context here,
not from the context processors (they read the database). Open311 answers in its own error format.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from stadtdigital.core import navigation
from stadtdigital.core.files import STORAGE_UNAVAILABLE_MESSAGE, StorageUnavailable

logger = logging.getLogger(__name__)
OPEN311_PREFIX = "/open311/"


def database_unavailable_message() -> str:
    return _("Die Datenbank ist im Moment nicht erreichbar. Es wurde nichts gespeichert.")


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StorageUnavailable):
            reason = str(STORAGE_UNAVAILABLE_MESSAGE)
        elif isinstance(exception, OperationalError | InterfaceError):
            reason = database_unavailable_message()
        else:
            return None
        logger.error("503 for %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request, reason)


def service_unavailable(request, reason: str) -> HttpResponse:
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS
    if request.path.startswith(OPEN311_PREFIX):
        from stadtdigital.open311.errors import error_response

        fmt = "xml" if request.path.endswith(".xml") else "json"
        response = error_response(fmt, 503, reason)
    else:
        context = {
            "reason": reason,
            "retry_after": retry_after,
            "CITY_NAME": settings.CITY_NAME,
            "NAVIGATION": [
                {"label": entry.label, "url": reverse(entry.url_name), "current": False}
                for entry in navigation.public_navigation()
            ],
        }
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(retry_after)
    return response
