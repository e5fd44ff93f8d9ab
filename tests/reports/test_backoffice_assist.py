# ruff: noqa: F811  (pytest fixtures imported from assist_fixtures)
"""Staff see the suggested category where it differs and re-categorise in one click, see likely duplicates
with score and reasons and merge them in one step, and moderate personal data found in the text."""

import pytest
from django.urls import reverse

from stadtdigital.reports.models import EventKind, PersonalDataReview, State
from stadtdigital.reports.services.intake import ReportInput, submit_report
from tests.reports.assist_fixtures import lighting, trained  # noqa: F401

pytestmark = pytest.mark.django_db

LAMP = "Die Laterne vor meinem Haus brennt seit Tagen nicht, abends alles dunkel"


def test_suggested_category_and_one_click_recategorisation(
    client, department_user, trained, make_report, lighting
):
    report = make_report(description=LAMP)
    client.force_login(department_user)
    html = client.get(reverse("reports:backoffice-report", args=[report.pk])).content.decode()
    assert "Vorgeschlagene Kategorie: <strong>Straßenbeleuchtung</strong>" in html
    assert "Sicherheit" in html
    response = client.post(
        reverse("reports:backoffice-category", args=[report.pk]),
        {"category": lighting.pk, "internal_note": "Kategorievorschlag übernommen."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.category == lighting
    assert report.events.filter(kind=EventKind.CATEGORY).exists()
    html = client.get(reverse("reports:backoffice-report", args=[report.pk])).content.decode()
    assert "Vorgeschlagene Kategorie" not in html  # agrees now


def test_likely_duplicates_with_reasons_and_merge_in_one_step(client, department_user, make_report):
    original = make_report(description="Tiefes Schlagloch vor Hausnummer 12, Radfahrer müssen ausweichen")
    report = make_report(
        description="Schlagloch vor Hausnummer 12 ist richtig tief", lat=49.14205, lon=9.21003
    )
    make_report(description="Tiefes Schlagloch vor Hausnummer 12", lat=49.16, lon=9.25)  # 3 km away
    client.force_login(department_user)
    html = client.get(reverse("reports:backoffice-report", args=[report.pk])).content.decode()
    assert "Wahrscheinliche Duplikate" in html
    assert f"#{original.pk}" in html and "m entfernt" in html and "gleiche Kategorie" in html
    assert "Textähnlichkeit" in html and html.count("Als Duplikat von #") == 1
    response = client.post(
        reverse("reports:backoffice-state", args=[report.pk]),
        {"state": "duplicate", "duplicate_of": original.pk},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.DUPLICATE and report.duplicate_of == original


def test_personal_data_queue_shows_why_and_moderator_decides(client, department_user, category):
    report = submit_report(
        ReportInput(category="schlagloch", lat=49.142, lon=9.21, description="Loch. Rückruf 0151 5551234"),
        client_ip="203.0.113.5",
    ).report
    client.force_login(department_user)
    html = client.get(reverse("reports:backoffice-personal-data-queue")).content.decode()
    assert f"#{report.pk}" in html and "Telefonnummer" in html
    page = client.get(reverse("reports:backoffice-report", args=[report.pk])).content.decode()
    assert "0151 5551234" in page  # staff see the original
    client.post(reverse("reports:backoffice-personal-data", args=[report.pk]), {"decision": "mask"})
    assert (
        report.personal_data_finding.__class__.objects.get(report=report).review
        == PersonalDataReview.KEPT_MASKED
    )
    html = client.get(reverse("reports:backoffice-personal-data-queue")).content.decode()
    assert f"#{report.pk}<" not in html


def test_figures_page(client, department_user, trained):
    client.force_login(department_user)
    html = client.get(reverse("reports:backoffice-assist")).content.decode()
    assert f"Version {trained.version}" in html and "Straßenbeleuchtung" in html
