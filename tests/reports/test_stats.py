"""Dashboard figures on a small known dataset; medians exact."""

import datetime

import pytest
from django.utils import timezone

from stadtdigital.reports.models import State, Visibility
from stadtdigital.reports.selectors import stats


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def closed(make_report, now, *, days_ago_created, days_open, state=State.FIXED, **kwargs):
    created = now - datetime.timedelta(days=days_ago_created)
    return make_report(
        state=state, created_at=created, closed_at=created + datetime.timedelta(days=days_open), **kwargs
    )


def test_dashboard_numbers(make_report, category, other_category, department, now):
    # Category A (schlagloch): resolution 2, 4, 10 days -> median 4; one closed not fixed after 6 days.
    closed(make_report, now, days_ago_created=40, days_open=2)
    closed(make_report, now, days_ago_created=30, days_open=4)
    closed(make_report, now, days_ago_created=20, days_open=10)
    closed(make_report, now, days_ago_created=15, days_open=6, state=State.CLOSED_NOT_FIXED)
    # A duplicate is closed but no resolution: not in the medians, not in the fixed share.
    closed(make_report, now, days_ago_created=12, days_open=1, state=State.DUPLICATE)
    # Open: one overdue, one not, one reopened; one waiting for confirmation (left out).
    make_report(due_at=now - datetime.timedelta(days=1))
    make_report(due_at=now + datetime.timedelta(days=1))
    make_report(state=State.REOPENED)
    make_report(visibility=Visibility.PENDING_CONFIRMATION)
    # Another department: not counted for `department`.
    closed(make_report, now, days_ago_created=10, days_open=1, category=other_category)

    figures = stats.dashboard([department], now=now)
    assert (figures.open, figures.overdue, figures.reopened) == (3, 1, 1)
    assert (figures.fixed, figures.closed_not_fixed, figures.other_closed) == (3, 1, 1)
    assert figures.share_fixed == 75.0 and figures.share_not_fixed == 25.0
    # Durations 2, 4, 6, 10 -> median (4 + 6) / 2 = 5.
    assert figures.median_days == 5.0
    assert [(c.name, c.closed, c.median_days) for c in figures.by_category] == [
        ("Straßenschäden und Schlaglöcher", 4, 5.0)
    ]
    assert len(figures.months) == 12 and figures.months[-1]["month"] == timezone.localdate(now).replace(day=1)
    assert sum(m["received"] for m in figures.months) == 8
    assert sum(m["closed"] for m in figures.months) == 5

    both = stats.dashboard([department, other_category.department], now=now)
    assert both.median_days == 4.0  # 1, 2, 4, 6, 10
    assert [(c.name, c.median_days) for c in both.by_category] == [
        ("Spielplätze", 1.0),
        ("Straßenschäden und Schlaglöcher", 5.0),
    ]


def test_months_are_grouped_by_local_month(make_report, department):
    now = timezone.make_aware(datetime.datetime(2024, 3, 15, 12, 0))
    # 31 January 23:30 UTC is already 1 February in Berlin.
    make_report(created_at=datetime.datetime(2024, 1, 31, 23, 30, tzinfo=datetime.UTC))
    make_report(created_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 8, 0)))
    make_report(created_at=timezone.make_aware(datetime.datetime(2022, 3, 1, 8, 0)))  # outside the window
    figures = stats.dashboard([department], now=now)
    received = {m["month"]: m["received"] for m in figures.months}
    assert received[datetime.date(2024, 2, 1)] == 1
    assert received[datetime.date(2024, 1, 1)] == 0
    assert received[datetime.date(2024, 3, 1)] == 1
    assert figures.months[0]["month"] == datetime.date(2023, 4, 1)


def test_empty_department(department):
    figures = stats.dashboard([department])
    assert figures.median_days is None and figures.share_fixed is None and figures.open == 0
