"""/projekte/: filters, exact totals of the filtered set, sorting and pagination that keeps the filters."""

from decimal import Decimal

import pytest

from stadtdigital.portfolio.models import Status, Tag


@pytest.fixture
def portfolio(make_project, other_field_of_action, other_department):
    a = make_project(
        "Tablets für Grundschulen",
        status=Status.IMPLEMENTATION,
        planned_budget=Decimal("13500000.00"),
        cost_to_date=Decimal("4000000.10"),
        funding_amount=Decimal("0.20"),
        summary="Digitalpakt Schule",
    )
    b = make_project(
        "Glasfaser Gewerbegebiet",
        status=Status.IMPLEMENTATION,
        field_of_action=other_field_of_action,
        department=other_department,
        planned_budget=Decimal("0.10"),
        cost_to_date=Decimal("0.10"),
    )
    c = make_project("E-Akte", status=Status.COMPLETED, planned_budget=None, description="Elektronische Akte")
    b.tags.add(Tag.objects.create(name="Breitbandausbau"))
    return a, b, c


def figures(response):
    return response.context["totals"]


def test_totals_of_whole_portfolio_are_exact_decimals(client, portfolio):
    response = client.get("/projekte/")
    totals = figures(response)
    assert totals.count == 3
    assert totals.planned_budget == Decimal("13500000.10")
    assert totals.cost_to_date == Decimal("4000000.20")
    assert totals.funding_amount == Decimal("0.20")
    counts = {entry.code: entry.count for entry in totals.by_status}
    assert counts == {
        "idea": 0,
        "preparation": 0,
        "implementation": 2,
        "completed": 1,
        "paused": 0,
        "cancelled": 0,
    }
    body = response.content.decode()
    assert "13.500.000,10\u00a0€" in body
    assert "4.000.000,20\u00a0€" in body


def test_status_filter_narrows_list_and_totals(client, portfolio):
    response = client.get("/projekte/", {"status": "completed"})
    assert [p.title for p in response.context["page"]] == ["E-Akte"]
    assert figures(response).count == 1
    assert figures(response).planned_budget == Decimal("0")


def test_field_of_action_and_department_filters_use_slugs(client, portfolio):
    by_field = client.get("/projekte/", {"handlungsfeld": "breitband"})
    assert [p.title for p in by_field.context["page"]] == ["Glasfaser Gewerbegebiet"]
    by_department = client.get("/projekte/", {"fachbereich": "digitalisierung"})
    assert {p.title for p in by_department.context["page"]} == {"Tablets für Grundschulen", "E-Akte"}
    assert figures(by_department).planned_budget == Decimal("13500000.00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Glasfaser", {"Glasfaser Gewerbegebiet"}),  # title
        ("digitalpakt", {"Tablets für Grundschulen"}),  # summary, any case
        ("elektronische", {"E-Akte"}),  # description
        ("breitbandausbau", {"Glasfaser Gewerbegebiet"}),  # tag
        ("Tablets Schule", {"Tablets für Grundschulen"}),  # every word must match somewhere
    ],
)
def test_text_search_covers_title_summary_description_and_tags(client, portfolio, query, expected):
    response = client.get("/projekte/", {"q": query})
    assert {p.title for p in response.context["page"]} == expected


def test_text_search_counts_a_project_with_several_matching_tags_once(client, portfolio):
    project = portfolio[1]
    project.tags.add(Tag.objects.create(name="Breitband 2"))
    response = client.get("/projekte/", {"q": "breitband"})
    assert figures(response).count == 1
    assert figures(response).planned_budget == Decimal("0.10")


def test_sorting_by_budget_and_status(client, portfolio):
    by_budget = client.get("/projekte/", {"sortierung": "budget-absteigend"})
    assert [p.title for p in by_budget.context["page"]] == [
        "Tablets für Grundschulen",
        "Glasfaser Gewerbegebiet",
        "E-Akte",  # no budget last
    ]
    by_status = client.get("/projekte/", {"sortierung": "status"})
    assert [p.status for p in by_status.context["page"]] == ["implementation", "implementation", "completed"]


def test_invalid_filter_value_does_not_break_the_page(client, portfolio):
    response = client.get("/projekte/", {"status": "erfunden", "handlungsfeld": "gibt-es-nicht"})
    assert response.status_code == 200


def test_pagination_keeps_filters(client, make_project):
    for n in range(55):
        make_project(f"Projekt {n:02d}", status=Status.PREPARATION)
    make_project("Anderes", status=Status.COMPLETED)
    first = client.get("/projekte/", {"status": "preparation"})
    assert len(first.context["page"].object_list) == 50
    assert figures(first).count == 55
    body = first.content.decode()
    assert 'href="?status=preparation&amp;seite=2"' in body
    second = client.get("/projekte/", {"status": "preparation", "seite": "2"})
    assert len(second.context["page"].object_list) == 5


def test_filter_form_works_without_javascript(client, portfolio):
    body = client.get("/projekte/").content.decode()
    assert '<form method="get" action="/projekte/"' in body
    assert '<label for="id_status">' in body
    assert 'type="submit"' in body
    assert "/static/django-htmx/" in body or "htmx" in body  # enhancement only, served locally
    assert "https://" not in body.split("<body")[0]  # no CDN in <head>


def test_default_order_is_by_title_regardless_of_case(client, make_project):
    for title in ("ePayment", "Breitband", "Zuhause digital"):
        make_project(title)
    response = client.get("/projekte/")
    assert [p.title for p in response.context["page"]] == ["Breitband", "ePayment", "Zuhause digital"]
