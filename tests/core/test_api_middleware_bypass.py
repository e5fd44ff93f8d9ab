"""The WSGI application serves API paths through a chain without the middleware listed in
API_SKIPPED_MIDDLEWARE (core/handlers.py); every other path keeps the full chain."""

import io
import urllib.parse
from wsgiref.util import setup_testing_defaults

import pytest

from stadtdigital.core.handlers import PathSplitWSGIHandler
from stadtdigital.reports.models import Report, Source
from tests.reports.conftest import category, category_group  # noqa: F401,F811

pytestmark = pytest.mark.django_db(transaction=True)


class MarkerMiddleware:
    """Test-only middleware standing in for one that browsers need and the API does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Marker"] = "full-chain"
        return response


MARKER = "tests.core.test_api_middleware_bypass.MarkerMiddleware"


def call(handler, method: str, path: str, form: dict | None = None):
    body = urllib.parse.urlencode(form or {}, doseq=True).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    status_headers = {}

    def start_response(status, headers, exc_info=None):
        status_headers["status"] = int(status.split()[0])
        status_headers["headers"] = dict(headers)

    content = b"".join(handler(environ, start_response))
    return status_headers["status"], status_headers["headers"], content


@pytest.fixture
def handler(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MARKER]
    settings.API_SKIPPED_MIDDLEWARE = [*settings.API_SKIPPED_MIDDLEWARE, MARKER]
    return PathSplitWSGIHandler()


def test_api_paths_skip_the_listed_middleware_other_paths_keep_it(handler):
    status, headers, _ = call(handler, "GET", "/open311/v2/services.json")
    assert status == 200
    assert "X-Marker" not in headers
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")
    status, headers, _ = call(handler, "GET", "/anliegen/")
    assert status == 200 and headers["X-Marker"] == "full-chain"


def test_api_post_with_key_works_without_sessions_and_csrf(handler, category):  # noqa: F811
    from stadtdigital.open311 import services

    _client, key = services.create_key("Test-App")
    form = {
        "api_key": key,
        "service_code": category.code,
        "lat": "49.142",
        "long": "9.21",
        "description": "Schlagloch über die ganze Fahrbahn",
    }
    status, _headers, content = call(handler, "POST", "/open311/v2/requests.json", form)
    assert status == 200, content[:300]
    assert Report.objects.filter(source=Source.API, description__startswith="Schlagloch").count() == 1


def test_browser_forms_keep_csrf_protection(handler, category):  # noqa: F811
    status, headers, _ = call(handler, "POST", "/anliegen/neu/", {"description": "ohne Token"})
    assert status == 403 and headers["X-Marker"] == "full-chain"
