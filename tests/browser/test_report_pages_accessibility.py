"""axe-core finds no serious or critical problems on the published report pages and the report back office."""

import datetime

import pytest

from stadtdigital.portfolio.annual_report.publishing import publish_report
from stadtdigital.portfolio.models import Status


@pytest.fixture
def published(make_project, digital_office_user):
    make_project("Glasfaser für Gewerbegebiete", status=Status.IMPLEMENTATION)
    make_project("Schul-WLAN", status=Status.COMPLETED)
    return publish_report(as_of=datetime.date(2021, 6, 30), user=digital_office_user)


def test_report_list_and_report_page(page, url, axe_check, published):
    page.goto(url("/berichte/"))
    axe_check(page)
    page.goto(url(f"/berichte/{published.year}/"))
    hrefs = page.locator("a[download]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert f"/berichte/{published.year}/bericht.pdf" in hrefs
    axe_check(page)


def test_report_back_office(page, url, axe_check, login, published, digital_office_user):
    login(page, digital_office_user)
    page.goto(url("/verwaltung/berichte/"))
    axe_check(page)
