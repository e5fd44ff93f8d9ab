"""Public report pages, downloads and the back office's preview/publish with permissions."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from stadtdigital.portfolio import services
from stadtdigital.portfolio.annual_report.publishing import publish_report
from stadtdigital.portfolio.models import PublishedReport, Status

D = datetime.date


@pytest.fixture
def published(make_project):
    project = make_project(
        "Tablets für Grundschulen",
        planned_budget=Decimal("1250000.00"),
        contact_person="Erika Geheimperson",
        internal_notes="GEHEIMNOTIZ",
    )
    services.change_status(project, Status.IMPLEMENTATION, effective_date=D(2020, 3, 1))
    return publish_report(as_of=D(2021, 6, 30))


def test_list_shows_published_reports_with_headline_figures(client, published):
    response = client.get(reverse("portfolio:report-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Digitalisierungsbericht 2021" in html
    assert "30.06.2021" in html
    assert "1,3\u00a0Mio.\u00a0€" in html
    assert reverse("portfolio:report-pdf", kwargs={"year": 2021}) in html


def test_list_without_reports(client, db):
    response = client.get(reverse("portfolio:report-list"))
    assert response.status_code == 200
    assert "noch kein Digitalisierungsbericht veröffentlicht" in response.content.decode()


def test_detail_embeds_the_stored_report_in_the_site(client, published):
    response = client.get(reverse("portfolio:report-detail", kwargs={"year": 2021}))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg ") == 3
    assert 'class="site-header"' in html  # site layout around it
    assert html.count("<html") == 1
    assert "Tablets für Grundschulen" in html
    assert "Geheimperson" not in html and "GEHEIMNOTIZ" not in html
    for name in ("report-pdf", "report-json", "report-csv"):
        assert reverse(f"portfolio:{name}", kwargs={"year": 2021}) in html


@pytest.mark.parametrize(
    ("name", "content_type", "filename", "magic"),
    [
        ("report-pdf", "application/pdf", "digitalisierungsbericht-2021-bericht.pdf", b"%PDF-"),
        ("report-json", "application/json", "digitalisierungsbericht-2021-anhang.json", b"{"),
        ("report-csv", "text/csv; charset=utf-8", "digitalisierungsbericht-2021-anhang.csv", b"\xef\xbb\xbf"),
        (
            "report-html",
            "text/html; charset=utf-8",
            "digitalisierungsbericht-2021-bericht.html",
            b"<!DOCTYPE",
        ),
    ],
)
def test_downloads(client, published, name, content_type, filename, magic):
    response = client.get(reverse(f"portfolio:{name}", kwargs={"year": 2021}))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(magic)
    assert b"Geheimperson" not in response.content


def test_download_urls(published):
    assert reverse("portfolio:report-pdf", kwargs={"year": 2021}) == "/berichte/2021/bericht.pdf"
    assert reverse("portfolio:report-json", kwargs={"year": 2021}) == "/berichte/2021/anhang.json"
    assert reverse("portfolio:report-csv", kwargs={"year": 2021}) == "/berichte/2021/anhang.csv"


@pytest.mark.parametrize(
    "path", ["/berichte/1999/", "/berichte/1999/bericht.pdf", "/berichte/1999/anhang.json"]
)
def test_unknown_year_is_404(client, published, path):
    assert client.get(path).status_code == 404


def test_backoffice_requires_staff(client, db):
    response = client.get(reverse("portfolio:backoffice-reports"))
    assert response.status_code == 302
    assert "/verwaltung/" in response["Location"] or "login" in response["Location"]


def test_department_staff_can_preview_any_date_and_format(client, department_user, make_project):
    make_project("Vorschauprojekt", status=Status.IMPLEMENTATION)
    client.force_login(department_user)
    page = client.get(reverse("portfolio:backoffice-reports"))
    assert page.status_code == 200
    assert "Bericht veröffentlichen" not in page.content.decode()  # no publish form for them
    response = client.get(reverse("portfolio:backoffice-reports"), {"as_of": "2021-06-30", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["total_projects"] == 1
    csv_response = client.get(
        reverse("portfolio:backoffice-reports"), {"as_of": "2021-06-30", "format": "csv"}
    )
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    bad = client.get(reverse("portfolio:backoffice-reports"), {"as_of": "kein-datum", "format": "json"})
    assert bad.status_code == 200 and "Datum" in bad.content.decode()
    assert not PublishedReport.objects.exists()


def test_department_staff_cannot_publish(client, department_user, make_project):
    make_project()
    client.force_login(department_user)
    response = client.post(
        reverse("portfolio:backoffice-report-publish"), {"as_of": "2021-06-30", "confirm": "on"}
    )
    assert response.status_code == 403
    assert not PublishedReport.objects.exists()


def test_digital_office_publishes_with_confirmation_and_csrf(digital_office_user, make_project):
    make_project()
    client = Client(enforce_csrf_checks=True)
    client.force_login(digital_office_user)
    url = reverse("portfolio:backoffice-reports")
    page = client.get(url)
    assert "Bericht veröffentlichen" in page.content.decode()
    token = page.cookies["csrftoken"].value
    publish_url = reverse("portfolio:backoffice-report-publish")

    assert client.post(publish_url, {"as_of": "2021-06-30", "confirm": "on"}).status_code == 403  # no token
    unconfirmed = client.post(publish_url, {"as_of": "2021-06-30", "csrfmiddlewaretoken": token})
    assert unconfirmed.status_code == 400
    assert not PublishedReport.objects.exists()

    response = client.post(
        publish_url,
        {"as_of": "2021-06-30", "title": "Bericht 2021", "confirm": "on", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:report-detail", kwargs={"year": 2021})
    report = PublishedReport.objects.get()
    assert report.title == "Bericht 2021" and report.published_by == digital_office_user

    again = client.post(publish_url, {"as_of": "2021-12-31", "confirm": "on", "csrfmiddlewaretoken": token})
    assert again.status_code == 400
    assert "bereits ein Bericht veröffentlicht" in again.content.decode()
    assert PublishedReport.objects.count() == 1


def test_publish_requires_post(client, digital_office_user):
    client.force_login(digital_office_user)
    assert client.get(reverse("portfolio:backoffice-report-publish")).status_code == 405
