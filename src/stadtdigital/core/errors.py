"""The site's own 400/403/404/500 pages (German, English when chosen), in the site's layout with a way on.

Open311 answers its errors itself (JSON/XML, see open311.errors); everything else lands here.
A page for another status (e.g. 503 "database gone") extends core/errors/base.html and renders through
`render_error_page(..., needs_database=False)` when the database may be the problem.
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from stadtdigital.core import navigation

logger = logging.getLogger(__name__)


def frame_context_without_database() -> dict:
    """What core/base.html needs, computed from settings and URLconf only (no query, no request)."""
    return {
        "CITY_NAME": settings.CITY_NAME,
        "SYNTHETIC_DATA": False,
        "NAVIGATION": [
            {"label": entry.label, "url": reverse(entry.url_name), "current": False}
            for entry in navigation.public_navigation()
        ],
        "error_without_request": True,
    }


def render_error_page(request, template_name: str, status: int, context=None, *, needs_database=True):
    """The error page; falls back to the page without request context (no database, no session)."""
    context = dict(context or {})
    if needs_database:
        try:
            return HttpResponse(loader.render_to_string(template_name, context, request), status=status)
        except Exception:  # the error page must never fail: e.g. the database is gone as well
            logger.exception("Error page %s with request context failed; rendering without it", status)
    body = loader.render_to_string(template_name, {**frame_context_without_database(), **context})
    return HttpResponse(body, status=status)


def exception_message(exception) -> str:
    """A message raised with Http404/PermissionDenied for the visitor (ours are translated texts)."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) and not message.startswith(("No ", "Resolver404")) else ""


@requires_csrf_token
def bad_request(request, exception=None):
    return render_error_page(request, "core/errors/400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render_error_page(request, "core/errors/403.html", 403, {"message": exception_message(exception)})


@requires_csrf_token
def page_not_found(request, exception=None):
    return render_error_page(request, "core/errors/404.html", 404, {"message": exception_message(exception)})


def server_error(request):
    # Whatever failed (database, session, a context processor) must not break this page too.
    return render_error_page(request, "core/errors/500.html", 500, needs_database=False)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was stale (e.g. opened yesterday) or cookies are blocked."""
    return render_error_page(
        request,
        "core/errors/403.html",
        403,
        {
            "message": _(
                "Das Formular ist abgelaufen oder Ihr Browser hat das Sicherheits-Cookie nicht gesendet. "
                "Bitte laden Sie die Seite neu und senden Sie das Formular noch einmal."
            )
        },
    )
