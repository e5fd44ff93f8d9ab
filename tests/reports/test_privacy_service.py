import datetime

import pytest
from django.utils import timezone

from stadtdigital.reports.models import AreaAlert, Event, EventKind, Report, State, Subscription
from stadtdigital.reports.services.privacy import (
    delete_personal_data,
    export_personal_data,
    purge_personal_data,
)

NOW = timezone.now()


def _personal(**extra):
    return {
        "reporter_name": "Erika Beispiel",
        "reporter_email": "erika@example.org",
        "reporter_phone": "+49 7131 5550001",
        "show_name": True,
        **extra,
    }


@pytest.fixture
def reports(make_report):
    old = make_report(state=State.FIXED, closed_at=NOW - datetime.timedelta(days=120), **_personal())
    recent = make_report(state=State.FIXED, closed_at=NOW - datetime.timedelta(days=10), **_personal())
    open_ = make_report(state=State.IN_PROGRESS, created_at=NOW - datetime.timedelta(days=400), **_personal())
    other = make_report(
        state=State.REJECTED,
        closed_at=NOW - datetime.timedelta(days=200),
        **_personal(reporter_email="x@example.org"),
    )
    for report in (old, recent, open_):
        Subscription.objects.create(report=report, email="nachbar@example.org")
    return old, recent, open_, other


@pytest.mark.django_db
def test_purge_only_reports_closed_before_the_deadline(reports):
    old, recent, open_, other = reports
    assert purge_personal_data(days=90, now=NOW) == 2
    for report in (old, other):
        report.refresh_from_db()
        assert (report.reporter_name, report.reporter_email, report.reporter_phone) == ("", "", "")
        assert not report.show_name and report.personal_data_purged_at == NOW
        assert report.description and report.state in (State.FIXED, State.REJECTED)  # anonymous report kept
    for report in (recent, open_):
        report.refresh_from_db()
        assert report.reporter_email == "erika@example.org" and report.personal_data_purged_at is None
    assert not Subscription.objects.filter(report=old).exists()
    assert Subscription.objects.filter(report__in=[recent, open_]).count() == 2
    assert purge_personal_data(days=90, now=NOW) == 0  # idempotent


@pytest.mark.django_db
def test_purge_default_days_from_setting(reports, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 5
    assert purge_personal_data(now=NOW) == 3


@pytest.mark.django_db
def test_export_is_complete_and_only_that_email(reports, category):
    old, recent, open_, other = reports
    Subscription.objects.create(report=other, email="Erika@Example.org")
    AreaAlert.objects.create(email="erika@example.org", lat=49.14, lon=9.2, radius_m=300)
    AreaAlert.objects.create(email="x@example.org", lat=49.14, lon=9.2)
    data = export_personal_data("erika@example.org")
    assert sorted(r["id"] for r in data["reports"]) == sorted([old.pk, recent.pk, open_.pk])
    assert data["reports"][0]["personal_data"]["phone"] == "+49 7131 5550001"
    assert [s["report_id"] for s in data["subscriptions"]] == [other.pk]
    assert len(data["area_alerts"]) == 1 and data["area_alerts"][0]["radius_m"] == 300
    import json

    assert "x@example.org" not in json.dumps(data)


@pytest.mark.django_db
def test_delete_blanks_reports_and_removes_subscriptions_and_alerts(reports, digital_office_user):
    old, recent, open_, other = reports
    Subscription.objects.create(report=other, email="erika@example.org")
    AreaAlert.objects.create(email="erika@example.org", lat=49.14, lon=9.2)
    AreaAlert.objects.create(email="x@example.org", lat=49.14, lon=9.2)
    counts = delete_personal_data("ERIKA@example.org", by=digital_office_user)
    assert counts == {"reports": 3, "subscriptions": 1, "area_alerts": 1}
    assert not Report.objects.filter(reporter_email__iexact="erika@example.org").exists()
    assert not Report.objects.filter(reporter_name="Erika Beispiel").exclude(pk=other.pk).exists()
    assert Report.objects.get(pk=other.pk).reporter_email == "x@example.org"
    assert AreaAlert.objects.filter(email="x@example.org").exists()
    event = Event.objects.filter(report=open_, kind=EventKind.MODERATION).get()
    assert event.actor == digital_office_user and not event.is_public
    assert "erika" not in (event.internal_note + str(event.data)).lower()
    assert export_personal_data("erika@example.org")["reports"] == []


def test_purge_removes_personal_data_of_reports_never_confirmed(make_report):
    expired = make_report(visibility="pending", created_at=NOW - datetime.timedelta(days=120), **_personal())
    waiting = make_report(visibility="pending", created_at=NOW - datetime.timedelta(days=2), **_personal())
    assert purge_personal_data(days=90, now=NOW) == 1
    expired.refresh_from_db()
    waiting.refresh_from_db()
    assert (expired.reporter_name, expired.reporter_email, expired.reporter_phone) == ("", "", "")
    assert waiting.reporter_email == "erika@example.org"  # its link is still valid


def test_purge_drops_texts_that_moderation_kept_for_staff(make_report):
    report = make_report(state=State.FIXED, closed_at=NOW - datetime.timedelta(days=120), **_personal())
    Event.objects.create(
        report=report,
        created_at=NOW - datetime.timedelta(days=130),
        kind=EventKind.MODERATION,
        data={"action": "edit_description", "original": "Ruft mich an: 0171 5550002", "new": "…"},
    )
    purge_personal_data(days=90, now=NOW)
    event = report.events.get(kind=EventKind.MODERATION)
    assert "original" not in event.data
    assert "0171 5550002" not in str(event.data)
    assert event.data["original_removed"] is True
