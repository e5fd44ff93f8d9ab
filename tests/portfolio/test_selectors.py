"""Selectors behind the public pages: exact totals, text search and lifecycle sort."""

from decimal import Decimal

from stadtdigital.portfolio import selectors
from stadtdigital.portfolio.models import Project, Status, Tag


def test_totals_are_exact_to_the_cent_for_many_amounts(make_project):
    # 0.10 summed as float 30 times is 2.9999999999999996; the totals must still be exactly 3.00.
    for n in range(30):
        make_project(f"P{n}", planned_budget=Decimal("0.10"), cost_to_date=Decimal("0.01"))
    totals = selectors.portfolio_totals(Project.objects.all())
    assert totals.planned_budget == Decimal("3.00")
    assert totals.cost_to_date == Decimal("0.30")
    assert totals.funding_amount == Decimal("0")


def test_totals_list_every_status_in_lifecycle_order(make_project):
    make_project("A", status=Status.CANCELLED)
    totals = selectors.portfolio_totals(Project.objects.all())
    assert [s.code for s in totals.by_status] == [
        "idea",
        "preparation",
        "implementation",
        "completed",
        "paused",
        "cancelled",
    ]
    assert {s.code: s.count for s in totals.by_status}["cancelled"] == 1


def test_text_search_matches_tags_without_duplicates(make_project):
    project = make_project("Schul-WLAN")
    project.tags.add(Tag.objects.create(name="Netz 1"), Tag.objects.create(name="Netz 2"))
    assert list(selectors.project_text_search(Project.objects.all(), "netz")) == [project]


def test_order_by_status_follows_lifecycle(make_project):
    make_project("C", status=Status.COMPLETED)
    make_project("I", status=Status.IDEA)
    make_project("U", status=Status.IMPLEMENTATION)
    ordered = selectors.order_by_status(Project.objects.all())
    assert [p.title for p in ordered] == ["I", "U", "C"]


def test_project_history_newest_first_with_recorder(make_project, digital_office_user):
    from stadtdigital.portfolio import services

    project = make_project()
    services.change_status(project, Status.IMPLEMENTATION, user=digital_office_user)
    history = selectors.project_history(project)
    assert [v.status for v in history] == ["implementation", "preparation"]
    assert history[0].recorded_by == digital_office_user
