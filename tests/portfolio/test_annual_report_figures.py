"""The report's figures as of a date come from the history, with exact Decimal money."""

import datetime
import json
from decimal import Decimal

import pytest

from stadtdigital.portfolio import services
from stadtdigital.portfolio.annual_report.figures import build_report_data, headline_figures
from stadtdigital.portfolio.models import KPI, Milestone, PublishedReport, Status

D = datetime.date


@pytest.fixture
def history(make_project, other_field_of_action):
    """A: preparation 2020-01-15, implementation 2020-06-01, completed 2021-09-01. B: created 2021-08-01."""
    a = make_project("Tablets für Grundschulen", planned_budget=Decimal("100000.10"))
    services.change_status(a, Status.IMPLEMENTATION, effective_date=D(2020, 6, 1))
    services.change_status(a, Status.COMPLETED, effective_date=D(2021, 9, 1))
    b = make_project(
        "Glasfaser Gewerbegebiet", effective_date=D(2021, 8, 1), field_of_action=other_field_of_action
    )
    return a, b


def test_figures_as_of_a_date_come_from_the_history(history):
    a, b = history
    data = build_report_data(D(2021, 6, 30))
    assert data["total_projects"] == 1
    assert [p["slug"] for p in data["projects"]] == [a.slug]  # B did not exist yet
    assert data["projects"][0]["status"] == Status.IMPLEMENTATION  # completed only later
    assert data["projects"][0]["status_since"] == "2020-06-01"
    assert data["projects_by_status"] == {
        "idea": 0,
        "preparation": 0,
        "implementation": 1,
        "completed": 0,
        "paused": 0,
        "cancelled": 0,
    }
    assert data["implementation_cost_eur"] == "100000.10"

    later = build_report_data(D(2021, 12, 31))
    assert later["total_projects"] == 2
    assert later["projects_by_status"]["completed"] == 1
    assert later["projects_by_status"]["preparation"] == 1
    assert later["implementation_cost_eur"] == "0.00"
    assert later["largest_field_of_action_by_cost"] is None
    assert later["completions"]["by_year"] == [{"period": "2021", "completed": 1, "cumulative": 1}]
    assert later["completions"]["by_quarter"][-1] == {"period": "2021-Q4", "completed": 0, "cumulative": 1}
    assert later["completions"]["by_quarter"][0]["period"] == "2021-Q3"


def test_before_any_history_the_report_is_empty(history):
    data = build_report_data(D(2019, 12, 31))
    assert data["total_projects"] == 0
    assert data["projects"] == []
    assert set(data["projects_by_status"]) == set(Status.values)
    assert data["implementation_cost_eur"] == "0.00"


def test_cost_sums_are_exact_decimals(make_project, other_field_of_action):
    # 0.1 + 0.2 != 0.3 in floats; the report must say exactly 0.30 and 13,500,000.00.
    for title, budget, field in [
        ("A", "0.10", None),
        ("B", "0.20", None),
        ("C", "6750000.00", other_field_of_action),
        ("D", "6749999.70", other_field_of_action),
    ]:
        extra = {"field_of_action": field} if field else {}
        make_project(title, status=Status.IMPLEMENTATION, planned_budget=Decimal(budget), **extra)
    make_project("ohne Budget", status=Status.IMPLEMENTATION, planned_budget=None)
    data = build_report_data(D(2021, 6, 30))
    assert data["implementation_cost_eur"] == "13500000.00"
    assert isinstance(data["implementation_cost_eur"], str)
    largest = data["largest_field_of_action_by_cost"]
    assert largest["slug"] == other_field_of_action.slug
    assert largest["implementation_cost_eur"] == "13499999.70"
    fields = {f["slug"]: f for f in data["fields_of_action"]}
    assert fields["schulen"]["implementation_cost_eur"] == "0.30"
    assert fields["schulen"]["total_projects"] == 3
    json.dumps(data)  # JSON-ready: no Decimal, no date objects


def test_versioned_figures_follow_the_history(make_project):
    project = make_project("Budget wächst", status=Status.IMPLEMENTATION, planned_budget=Decimal("1000.00"))
    services.update_project(project, planned_budget=Decimal("5000.00"), effective_date=D(2022, 1, 1))
    assert build_report_data(D(2021, 6, 30))["implementation_cost_eur"] == "1000.00"
    assert build_report_data(D(2022, 6, 30))["implementation_cost_eur"] == "5000.00"


def test_milestones_and_kpis_as_of_the_date(make_project):
    project = make_project()
    Milestone.objects.create(
        project=project, title="Ausschreibung", due=D(2021, 3, 1), done_on=D(2021, 2, 20)
    )
    Milestone.objects.create(project=project, title="Rollout", due=D(2021, 6, 1), done_on=D(2021, 8, 1))
    KPI.objects.create(
        project=project, name="Geräte", unit="Stück", target=100, current=40, as_of=D(2021, 5, 1)
    )
    KPI.objects.create(project=project, name="Später", unit="", target=1, current=1, as_of=D(2022, 1, 1))
    row = build_report_data(D(2021, 6, 30))["projects"][0]
    assert row["milestones"] == [
        {"title": "Ausschreibung", "due": "2021-03-01", "done_on": "2021-02-20"},
        {"title": "Rollout", "due": "2021-06-01", "done_on": None},  # reached only after the date
    ]
    assert row["kpis"] == [
        {"name": "Geräte", "unit": "Stück", "target": "100.00", "current": "40.00", "as_of": "2021-05-01"}
    ]


def test_internal_fields_are_never_in_the_data(make_project):
    make_project(contact_person="Erika Geheimperson", internal_notes="GEHEIMNOTIZ intern")
    text = json.dumps(build_report_data(D(2021, 6, 30)), ensure_ascii=False)
    assert "Erika Geheimperson" not in text
    assert "GEHEIMNOTIZ" not in text
    assert "contact_person" not in text
    assert "internal_notes" not in text


def test_comparison_against_the_previous_published_report(history):
    previous = build_report_data(D(2021, 6, 30))
    PublishedReport.objects.create(
        year=2021,
        as_of=D(2021, 6, 30),
        title="Digitalisierungsbericht 2021",
        figures=headline_figures(previous),
        report_json=b"{}",
        report_html=b"",
        report_pdf=b"",
        annex_csv=b"",
    )
    # A later, irrelevant report must not be used for an earlier date's comparison.
    assert build_report_data(D(2021, 6, 30))["comparison"] is None
    assert build_report_data(D(2020, 12, 31))["comparison"] is None

    comparison = build_report_data(D(2022, 6, 30))["comparison"]
    assert comparison["previous"] == {
        "year": 2021,
        "as_of": "2021-06-30",
        "title": "Digitalisierungsbericht 2021",
    }
    assert comparison["total_projects"] == {"previous": 1, "current": 2, "delta": 1}
    assert comparison["projects_by_status"]["completed"] == {"previous": 0, "current": 1, "delta": 1}
    assert comparison["projects_by_status"]["implementation"] == {"previous": 1, "current": 0, "delta": -1}
    assert comparison["implementation_cost_eur"] == {
        "previous": "100000.10",
        "current": "0.00",
        "delta": "-100000.10",
    }
    assert "+1 abgeschlossen" in comparison["summary"]
    assert "−1 in Umsetzung" in comparison["summary"]
    assert "+1 Projekte insgesamt" in comparison["summary"]
