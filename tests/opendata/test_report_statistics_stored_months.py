"""`anliegen-monatsstatistik` from stored months (decision 0028): the daily job stores the figures of ended
months, triggers on reports_report note every change that can move them, and a download serves a stored
month only while nothing touched it, so it always has the bytes a live computation would give."""

import datetime

import pytest
from django.db import connection

from stadtdigital.opendata.registry import Period
from stadtdigital.reports.models import (
    MonthlyFigures,
    MonthlyFiguresChange,
    MonthlyFiguresMonth,
    Report,
    State,
    Visibility,
)
from stadtdigital.reports.opendata import report_statistics, statistics_cache
from stadtdigital.reports.services.moderation import hide_report
from stadtdigital.reports.services.workflow import change_category, change_state
from tests.opendata.test_report_statistics_dataset import EXPECTED, at, download, reports  # noqa: F401

MONTHS = ["2024-03", "2024-04", "2024-05"]
SCHLAGLOCH_DIGITAL = "schlagloch,Straßenschäden und Schlaglöcher,Amt für Digitalisierung"


def live(fmt: str = "csv", period: Period | None = None) -> bytes:
    """The download computed from the reports alone, the store left as it was."""
    months = list(MonthlyFiguresMonth.objects.values_list("month", "time_zone", "computed_at"))
    MonthlyFiguresMonth.objects.all().delete()
    try:
        return download(fmt, period)
    finally:
        MonthlyFiguresMonth.objects.bulk_create(
            [MonthlyFiguresMonth(month=m, time_zone=tz, computed_at=when) for m, tz, when in months]
        )


def rows(body: bytes) -> list[str]:
    return body.decode().split("\r\n")[1:-1]


def served_from_store() -> set[str]:
    return set(statistics_cache.stored_figures(MONTHS))


@pytest.fixture
def stored(reports):  # noqa: F811
    assert statistics_cache.refresh() == 3
    assert served_from_store() == set(MONTHS)
    return reports


@pytest.mark.django_db
def test_the_daily_job_stores_ended_months_and_downloads_serve_them(stored):
    assert not MonthlyFiguresChange.objects.exists()  # the fixture's marks are consumed
    assert MonthlyFigures.objects.count() == len(EXPECTED)
    for fmt in ("csv", "json", "xlsx"):
        assert download(fmt) == live(fmt)
    assert rows(download("csv")) == EXPECTED
    one_day = Period(datetime.date(2024, 4, 10), datetime.date(2024, 4, 10))
    assert download("csv", one_day) == live("csv", one_day)

    # Proof that the stored row is what is served: a figure changed in the store shows in the file.
    MonthlyFigures.objects.filter(month="2024-04", received=1, closed=1).update(received=7)
    assert "2024-04,schlagloch,Straßenschäden und Schlaglöcher,Amt für Digitalisierung,7,1,1,23.0" in rows(
        download("csv")
    )
    assert statistics_cache.refresh() == 0  # nothing noted: a stored month is not recomputed


@pytest.mark.django_db
def test_the_current_month_is_never_stored(make_report):
    now = datetime.datetime.now(datetime.UTC)
    make_report(created_at=now - datetime.timedelta(minutes=5))

    assert statistics_cache.refresh() == 0
    assert not MonthlyFiguresMonth.objects.exists()
    assert rows(download("csv"))[0].endswith(",1,0,0,")


def change_and_compare(change) -> tuple[bytes, bytes]:
    """Applies `change`; asserts the download equals the live computation before and after the next daily
    job and that the job consumed the marks; returns (before, after)."""
    before = download("csv")
    change()
    after = download("csv")
    assert after == live("csv")
    assert MonthlyFiguresChange.objects.exists()
    statistics_cache.refresh()
    assert not MonthlyFiguresChange.objects.exists()
    assert served_from_store() == set(MONTHS)
    assert download("csv").decode() == after.decode() == live("csv").decode()
    return before, after


@pytest.mark.django_db
def test_closing_a_report_of_a_stored_month(stored, digital_office_user):
    report = Report.objects.get(created_at=at("2024-03-05 09:00"))

    def close():
        report.state, report.is_open, report.closed_at = State.FIXED, False, at("2024-04-20 09:00")
        report.save()

    before, after = change_and_compare(close)
    assert before != after
    assert f"2024-04,{SCHLAGLOCH_DIGITAL},1,2,2,34.5" in rows(after)  # 23 and 46 days


@pytest.mark.django_db
def test_reopening_removes_the_closing_from_its_old_month(stored, digital_office_user):
    # Closed in April (23 days); reopened now, so April loses the closing although the report is of March.
    report = Report.objects.get(created_at=at("2024-03-10 09:00"))

    before, after = change_and_compare(
        lambda: change_state(report, State.REOPENED, user=digital_office_user, notify=False)
    )
    assert "2024-04,schlagloch,Straßenschäden und Schlaglöcher,Amt für Digitalisierung,1,0,0," in rows(after)
    assert before != after


@pytest.mark.django_db
def test_hiding_a_report(stored, digital_office_user):
    report = Report.objects.get(created_at=at("2024-03-01 10:00"))

    before, after = change_and_compare(lambda: hide_report(report, digital_office_user, "Beleidigung"))
    assert f"2024-03,{SCHLAGLOCH_DIGITAL},4,1,0,0.5" in rows(after)


@pytest.mark.django_db
def test_publishing_a_hidden_report(stored):
    def publish():
        for report in Report.objects.filter(visibility=Visibility.HIDDEN):
            report.visibility = Visibility.PUBLIC
            report.save()

    _before, after = change_and_compare(publish)
    assert f"2024-03,{SCHLAGLOCH_DIGITAL},6,3,2,1.0" in rows(after)


@pytest.mark.django_db
def test_recategorising_a_report(stored, other_category, digital_office_user):
    report = Report.objects.get(created_at=at("2024-03-05 09:00"))

    _before, after = change_and_compare(lambda: change_category(report, other_category, digital_office_user))
    assert "2024-03,spielplatz,Spielplätze,Schulverwaltungsamt,2,0,0," in rows(after)


@pytest.mark.django_db
def test_a_queryset_update_and_a_deletion_without_signals(stored):
    def bulk():
        Report.objects.filter(created_at=at("2024-04-15 09:00")).update(
            state=State.CLOSED_NOT_FIXED, is_open=False, closed_at=at("2024-04-16 09:00")
        )
        Report.objects.filter(created_at=at("2024-03-02 00:00")).delete()  # closed in March, 0.5 days

    before, after = change_and_compare(bulk)
    assert before != after
    assert f"2024-03,{SCHLAGLOCH_DIGITAL},4,1,1,2.0" in rows(after)
    assert "2024-04,schlagloch,Straßenschäden und Schlaglöcher,Schulverwaltungsamt,1,1,0,1.0" in rows(after)


@pytest.mark.django_db
def test_a_report_imported_into_an_old_month(stored, make_report):
    _before, after = change_and_compare(lambda: make_report(created_at=at("2024-05-10 09:00")))
    assert f"2024-05,{SCHLAGLOCH_DIGITAL},1,0,0," in rows(after)


@pytest.mark.django_db
def test_changes_the_statistics_do_not_read_leave_no_mark(stored):
    Report.objects.update(supporters_count=5, description="Neu beschrieben")
    Report.objects.filter(visibility=Visibility.PENDING_CONFIRMATION).update(state=State.FIXED)

    assert not MonthlyFiguresChange.objects.exists()
    assert served_from_store() == set(MONTHS)


@pytest.mark.django_db
def test_a_change_during_the_daily_job_keeps_its_mark(reports, monkeypatch):  # noqa: F811
    compute = report_statistics.live_figures

    def changing_meanwhile(month_list, **kwargs):
        figures = list(compute(month_list, **kwargs))  # computed before the change
        Report.objects.filter(created_at=at("2024-03-05 09:00")).update(visibility=Visibility.HIDDEN)
        return iter(figures)

    monkeypatch.setattr(report_statistics, "live_figures", changing_meanwhile)
    statistics_cache.refresh()

    assert served_from_store() == {"2024-04", "2024-05"}  # March computed, but changed since
    assert download("csv") == live("csv")
    assert f"2024-03,{SCHLAGLOCH_DIGITAL},4,2,1,1.3" in rows(download("csv"))


@pytest.mark.django_db
def test_lost_triggers_are_put_back_and_the_store_forgotten(stored):
    statistics_cache.remove_change_triggers(connection)
    assert statistics_cache.ensure_change_triggers() is True
    assert not MonthlyFiguresMonth.objects.exists()
    assert statistics_cache.ensure_change_triggers() is False

    Report.objects.filter(created_at=at("2024-03-05 09:00")).update(state=State.FIXED, is_open=False)
    assert MonthlyFiguresChange.objects.exists()


@pytest.mark.django_db
def test_another_time_zone_does_not_use_the_stored_months(stored, settings):
    settings.TIME_ZONE = "America/New_York"
    assert served_from_store() == set()
    assert download("csv") == live("csv")
    assert rows(download("csv")) != EXPECTED
