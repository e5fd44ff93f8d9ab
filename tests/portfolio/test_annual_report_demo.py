"""`stadtdigital annual-report` on the demo portfolio gives the article's figures (issue 2, "Done when")."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from stadtdigital.portfolio.demo import load_demo_portfolio
from stadtdigital.portfolio.demo.catalogue import SCHOOL_FIELD_SLUG


def report_json(tmp_path, as_of: str) -> dict:
    path = tmp_path / f"bericht-{as_of}.json"
    call_command("annual-report", "--as-of", as_of, "--format", "json", "--output", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_annual_report_2021_on_the_demo_matches_the_article(tmp_path):
    load_demo_portfolio(publish=False)
    data = report_json(tmp_path, "2021-06-30")

    assert data["total_projects"] == 102
    assert data["projects_by_status"]["completed"] == 20
    assert data["projects_by_status"]["implementation"] == 35
    assert data["projects_by_status"]["preparation"] == 42
    assert abs(Decimal(data["implementation_cost_eur"]) - Decimal("13500000")) <= Decimal("135000")
    assert data["largest_field_of_action_by_cost"]["slug"] == SCHOOL_FIELD_SLUG

    later = report_json(tmp_path, "2022-06-30")
    assert later["total_projects"] > 102
    assert later["projects_by_status"]["completed"] > 20
