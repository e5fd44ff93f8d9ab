"""Item 15: the Mängelmelder project shows live KPIs from the reports module (page and annual report)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from stadtdigital.portfolio.annual_report.figures import build_report_data
from stadtdigital.portfolio.models import Status
from stadtdigital.reports.models import Category, CategoryGroup, Report, State, Visibility

DAY = datetime.timedelta(days=1)


@pytest.fixture
def known_reports(department):
    """Received by the Stichtag: one fixed after 2 days, one rejected after 4, one open; plus an unconfirmed
    one and one received later."""
    cache.clear()
    group = CategoryGroup.objects.create(name="Straße")
    category = Category.objects.create(
        code="schlagloch", name="Schlagloch", group=group, department=department
    )
    start = timezone.make_aware(datetime.datetime(2022, 3, 1, 10, 0))

    def report(state, closed_after=None, visibility=Visibility.PUBLIC, created=start):
        closed = created + closed_after if closed_after else None
        return Report.objects.create(
            category=category,
            department=department,
            state=state,
            is_open=closed is None,
            visibility=visibility,
            lat=49.14,
            lon=9.2,
            created_at=created,
            updated_at=closed or created,
            closed_at=closed,
        )

    report(State.FIXED, 2 * DAY)
    report(State.REJECTED, 4 * DAY)
    report(State.IN_PROGRESS)
    report(State.RECEIVED, visibility=Visibility.PENDING_CONFIRMATION)
    report(State.FIXED, 1 * DAY, created=start + 200 * DAY)  # after the report's Stichtag below
    yield
    cache.clear()


@pytest.fixture
def project(make_project, settings):
    project = make_project("Reallabor Anliegenmanagement", status=Status.IMPLEMENTATION)
    settings.REPORTS_PORTFOLIO_PROJECT_SLUG = project.slug
    return project


@pytest.mark.django_db
def test_project_page_shows_live_kpis(client, project, known_reports, make_project):
    html = client.get(f"/projekte/{project.slug}/").content.decode()
    assert "Live-Kennzahlen" in html
    # now: 4 received (the unconfirmed one not), 3 closed, 2 fixed, median of 2, 4, 1 days = 2
    assert ">4<" in html.replace(" ", "") or "4</span>" in html
    assert "75.0\u00a0%" in html and "50.0\u00a0%" in html and "2.0\u00a0Tage" in html
    other = make_project("Anderes Projekt")
    assert "Live-Kennzahlen" not in client.get(f"/projekte/{other.slug}/").content.decode()


@pytest.mark.django_db
def test_annual_report_json_has_live_kpis_as_of_its_date(project, known_reports, make_project):
    make_project("Anderes Projekt")
    data = build_report_data(datetime.date(2022, 6, 30))
    rows = {p["slug"]: p for p in data["projects"]}
    live = rows[project.slug]["live_kpis"]
    assert len(live) == 1 and live[0]["source"] == "Mängelmelder" and live[0]["as_of"] == "2022-06-30"
    values = {item["key"]: item["value"] for item in live[0]["items"]}
    assert values == {
        "reports_received": "3",
        "share_closed": "66.7",
        "share_fixed": "33.3",
        "median_days_to_resolution": "3.0",
    }
    assert rows["anderes-projekt"]["live_kpis"] == []


@pytest.mark.django_db
def test_no_reports_yet_gives_empty_values(project):
    cache.clear()
    data = build_report_data(datetime.date(2022, 6, 30))
    live = {p["slug"]: p for p in data["projects"]}[project.slug]["live_kpis"][0]
    values = {item["key"]: item["value"] for item in live["items"]}
    assert values["reports_received"] == "0" and values["share_closed"] is None
    assert values["median_days_to_resolution"] is None
