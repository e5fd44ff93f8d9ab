"""The public list counts a text search's hits only up to a cap (decision 0025): "Mehr als 1000 Anliegen"
instead of counting tens of thousands of hits, and the pages up to the cap work as usual."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stadtdigital.reports.views import public

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_potholes(make_report):
    now = timezone.now()
    return [
        make_report(description=f"Schlagloch {n}", created_at=now - datetime.timedelta(hours=n)).pk
        for n in range(1, 6)
    ]


def test_many_hits_are_counted_up_to_the_cap(client, monkeypatch, five_potholes):
    monkeypatch.setattr(public, "SEARCH_COUNT_CAP", 4)
    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    response = client.get(reverse("reports:list"), {"q": "Schlaglöcher", "status": "alle"})
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 4 and page.paginator.num_pages == 2
    assert "Mehr als 4 Anliegen" in response.text
    assert "(1–2 von mehr als 4)" in response.text
    assert [report.pk for report in page.object_list] == five_potholes[:2]
    second = client.get(reverse("reports:list"), {"q": "Schlaglöcher", "status": "alle", "seite": "2"})
    assert [report.pk for report in second.context["page"].object_list] == five_potholes[2:4]


def test_hits_up_to_the_cap_are_counted_exactly(client, monkeypatch, five_potholes):
    monkeypatch.setattr(public, "SEARCH_COUNT_CAP", 5)
    response = client.get(reverse("reports:list"), {"q": "Schlagloch", "status": "alle"})
    assert not response.context["page"].paginator.capped
    assert response.context["page"].paginator.count == 5
    assert "Mehr als" not in response.text and "5 Anliegen" in response.text


def test_lists_without_search_count_everything(client, monkeypatch, five_potholes):
    monkeypatch.setattr(public, "SEARCH_COUNT_CAP", 2)
    response = client.get(reverse("reports:list"), {"status": "alle"})
    assert response.context["page"].paginator.count == 5
    assert "Mehr als" not in response.text
