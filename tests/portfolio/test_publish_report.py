"""Publishing freezes a report: served bytes never change when projects change later."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from stadtdigital.portfolio import services
from stadtdigital.portfolio.annual_report.publishing import PublishError, publish_report
from stadtdigital.portfolio.models import PublishedReport, Status

D = datetime.date
DOWNLOADS = ("report-pdf", "report-json", "report-csv", "report-html")


@pytest.fixture
def project(make_project):
    project = make_project("Tablets für Grundschulen", planned_budget=Decimal("1250000.00"))
    services.change_status(project, Status.IMPLEMENTATION, effective_date=D(2020, 3, 1))
    return project


def served(client, year: int) -> dict[str, bytes]:
    result = {}
    for name in DOWNLOADS:
        response = client.get(reverse(f"portfolio:{name}", kwargs={"year": year}))
        assert response.status_code == 200
        result[name] = response.content
    page = client.get(reverse("portfolio:report-detail", kwargs={"year": year}))
    assert page.status_code == 200
    result["page-report"] = (
        page.content.decode().split('<div class="report-embedded">')[1].split("<footer")[0]
    )
    return result


def test_published_report_is_byte_identical_after_projects_change(client, project, digital_office_user):
    report = publish_report(as_of=D(2021, 6, 30), user=digital_office_user)
    assert report.year == 2021
    assert report.title == "Digitalisierungsbericht 2021"
    assert report.published_by == digital_office_user
    before = served(client, 2021)
    assert b"Tablets f\xc3\xbcr Grundschulen" in before["report-json"]

    services.update_project(
        project,
        title="Umbenanntes Projekt",
        summary="Neu",
        status=Status.COMPLETED,
        planned_budget=Decimal("9999999.00"),
        effective_date=D(2021, 5, 1),  # even a back-dated change does not touch the frozen report
    )
    after = served(client, 2021)
    for key in before:
        assert before[key] == after[key], key
    assert b"Umbenanntes Projekt" not in after["report-json"]
    stored = PublishedReport.objects.get(year=2021)
    assert bytes(stored.report_pdf) == before["report-pdf"]


def test_publishing_a_year_twice_is_an_error(project):
    publish_report(as_of=D(2021, 6, 30))
    with pytest.raises(PublishError, match="Berichtsjahr 2021 ist bereits ein Bericht veröffentlicht"):
        publish_report(as_of=D(2021, 12, 31))
    assert PublishedReport.objects.count() == 1


def test_future_stichtag_cannot_be_published(project):
    with pytest.raises(PublishError, match="Zukunft"):
        publish_report(as_of=D(2999, 1, 1))
    assert not PublishedReport.objects.exists()


def test_later_report_states_the_change_against_the_previous_one(project, make_project):
    publish_report(as_of=D(2021, 6, 30), title="Erster Bericht")
    services.change_status(project, Status.COMPLETED, effective_date=D(2022, 2, 1))
    make_project("Neues Projekt", effective_date=D(2022, 3, 1))
    second = publish_report(as_of=D(2022, 6, 30))
    comparison = second.figures["comparison"]
    assert comparison["previous"]["title"] == "Erster Bericht"
    assert "+1 abgeschlossen" in comparison["summary"]
    assert "+1 abgeschlossen" in bytes(second.report_html).decode()
    assert second.figures["total_projects"] == 2
    assert "projects" not in second.figures  # headline figures only
