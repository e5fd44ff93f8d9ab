"""Open311 errors: a list of `code` and `description` in the requested format, never an HTML page.

HTTP status as the specification says: 404 for a resource (service, request, token, jurisdiction) that
does not exist, 403 for a missing or wrong api_key, 400 for any other request that cannot be fulfilled
(bad parameter, missing jurisdiction_id). The `code` in the body is the HTTP status.
"""

from django.http import HttpResponse

from stadtdigital.open311 import formats


class Open311Error(Exception):
    """A client error; `description` is shown to the client and names the offending parameter."""

    status = 400

    def __init__(self, description: str, status: int | None = None):
        super().__init__(description)
        self.description = description
        if status is not None:
            self.status = status


class BadRequest(Open311Error):
    status = 400


class NotFound(Open311Error):
    status = 404


def error_response(fmt: str, status: int, description: str, headers: dict | None = None) -> HttpResponse:
    """The specification's error document; JSON when the format is unknown."""
    fmt = fmt if fmt in formats.FORMATS else "json"
    response = formats.render(fmt, "errors", [{"code": status, "description": description}], status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
