"""400/403/404/500 pages: German (English when chosen), in the site's layout, with a way on.
Open311 keeps its own JSON/XML errors; the 500 page renders even when the database is gone."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.test import override_settings
from django.urls import path

from stadtdigital.core import errors
from stadtdigital.core.models import Department  # noqa: F401  (the database is used by the frame)


def raise_permission_denied(request):
    raise PermissionDenied


def raise_suspicious(request):
    raise SuspiciousOperation("bad")


def raise_error(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("verboten/", raise_permission_denied),
    path("kaputt/", raise_suspicious),
    path("fehler/", raise_error),
]
# The site's own URLs too, so the frame's links resolve.
from stadtdigital.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns += site_urlpatterns
handler400 = "stadtdigital.core.errors.bad_request"
handler403 = "stadtdigital.core.errors.permission_denied"
handler404 = "stadtdigital.core.errors.page_not_found"
handler500 = "stadtdigital.core.errors.server_error"


def assert_site_frame(html: str):
    assert '<html lang="de">' in html
    assert 'class="site-header"' in html and 'href="/anliegen/"' in html  # the navigation
    assert 'href="/barrierefreiheit/"' in html  # the footer
    assert "Zur Startseite" in html


@pytest.mark.django_db
def test_404_is_german_in_the_site_layout(client):
    response = client.get("/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert_site_frame(html)
    assert "Diese Seite gibt es nicht" in html and "Not Found" not in html


@pytest.mark.django_db
def test_404_in_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    response = client.get("/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in html
    assert "This page does not exist" in html


@pytest.mark.django_db
def test_404_shows_the_views_own_message(client):
    response = client.get("/opendata/catalog.xyz")
    assert response.status_code == 404
    assert "Den Katalog gibt es als catalog.ttl" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_403_and_400_pages(client):
    response = client.get("/verboten/")
    assert response.status_code == 403
    assert_site_frame(response.content.decode())
    assert "Kein Zugriff auf diese Seite" in response.content.decode()
    response = client.get("/kaputt/")
    assert response.status_code == 400
    assert "Diese Anfrage können wir nicht bearbeiten" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_500_page_in_the_site_layout(client):
    client.raise_request_exception = False
    response = client.get("/fehler/")
    html = response.content.decode()
    assert response.status_code == 500
    assert_site_frame(html)
    assert "Hier ist etwas schiefgegangen" in html
    assert 'name="csrfmiddlewaretoken"' not in html  # no forms that need a session


def test_500_page_renders_without_any_database(rf, django_db_blocker):
    """No database access at all (pytest-django blocks it here): the page must still render."""
    request = rf.get("/irgendwo/")
    with django_db_blocker.block():
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Hier ist etwas schiefgegangen" in response.content.decode()
    assert not connection.queries_log


@pytest.mark.django_db
def test_csrf_failure_is_the_sites_403(client):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post("/barrierefreiheit/", {"message": "Eine Barriere auf der Seite"})
    assert response.status_code == 403
    assert "Das Formular ist abgelaufen" in response.content.decode()


@pytest.mark.django_db
def test_open311_keeps_its_own_error_format(client):
    response = client.get("/open311/v2/gibt-es-nicht.json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()[0]["code"] == 404
    response = client.get("/open311/v2/requests/999999.xml")
    assert response.status_code == 404 and b"<errors>" in response.content


@pytest.mark.django_db
def test_opendata_keeps_its_own_400(client):
    response = client.get("/opendata/anliegen.csv?end_date=gestern")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "end_date" in response.content.decode()
