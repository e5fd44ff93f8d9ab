"""Confirmation links, support ("betrifft mich auch") and following a report by email."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from stadtdigital.reports.models import EventKind, State, Subscription, Visibility
from stadtdigital.reports.services import confirmation
from stadtdigital.reports.services.confirmation import Outcome, SupportOutcome


@pytest.fixture
def pending(make_report):
    return make_report(
        visibility=Visibility.PENDING_CONFIRMATION,
        reporter_email="Anna@Example.org",
        created_at=timezone.now() - datetime.timedelta(days=2),
    )


def test_valid_link_makes_report_public_and_subscribes_reporter(
    pending, monkeypatch, django_capture_on_commit_callbacks
):
    alerted = []
    monkeypatch.setattr("stadtdigital.reports.services.alerts.notify_new_public_report", alerted.append)
    with django_capture_on_commit_callbacks(execute=True):
        result = confirmation.confirm_report(str(pending.confirmation_token))
    assert result.outcome == Outcome.CONFIRMED
    pending.refresh_from_db()
    assert pending.visibility == Visibility.PUBLIC and pending.confirmed_at
    assert pending.events.filter(kind=EventKind.CONFIRMED).exists()
    assert Subscription.objects.get(report=pending).email == "anna@example.org"
    assert [report.pk for report in alerted] == [pending.pk]
    assert confirmation.confirm_report(pending.confirmation_token).outcome == Outcome.ALREADY


def test_expired_link_does_not_publish(pending, settings):
    settings.REPORT_CONFIRMATION_DAYS = 1
    assert confirmation.confirm_report(pending.confirmation_token).outcome == Outcome.EXPIRED
    pending.refresh_from_db()
    assert pending.visibility == Visibility.PENDING_CONFIRMATION


@pytest.mark.parametrize("token", ["", "kaputt", "00000000-0000-0000-0000-000000000000", None])
def test_unknown_tokens_give_a_clear_result(db, token):
    assert confirmation.confirm_report(token).outcome == Outcome.UNKNOWN


def test_get_shows_a_button_and_does_not_confirm_post_confirms(client, pending):
    url = reverse("reports:confirm", kwargs={"token": pending.confirmation_token})
    response = client.get(url)
    assert response.status_code == 200
    assert "Meldung jetzt bestätigen" in response.content.decode()
    pending.refresh_from_db()
    assert pending.visibility == Visibility.PENDING_CONFIRMATION
    response = client.post(url)
    assert "jetzt öffentlich" in response.content.decode()
    pending.refresh_from_db()
    assert pending.visibility == Visibility.PUBLIC


def test_expired_and_unknown_links_are_explained(client, pending, settings):
    settings.REPORT_CONFIRMATION_DAYS = 1
    url = reverse("reports:confirm", kwargs={"token": pending.confirmation_token})
    assert "abgelaufen" in client.get(url).content.decode()
    assert "abgelaufen" in client.post(url).content.decode()
    response = client.get(reverse("reports:confirm", kwargs={"token": "nix"}))
    assert response.status_code == 404 and "kennen wir nicht" in response.content.decode()


def test_support_counts_once_per_session(client, make_report):
    report = make_report()
    url = reverse("reports:support", kwargs={"pk": report.pk})
    assert "auch Sie betrifft" in client.post(url).content.decode()
    assert "bereits unterstützt" in client.post(url).content.decode()
    report.refresh_from_db()
    assert report.supporters_count == 1
    event = report.events.get(kind=EventKind.SUPPORT)
    assert not event.is_public and client.session.session_key not in str(event.data)
    other = client.__class__()
    other.post(url)
    report.refresh_from_db()
    assert report.supporters_count == 2


def test_support_not_possible_for_closed_or_pending(make_report):
    closed = make_report(state=State.FIXED)
    assert confirmation.add_support(closed, "s1") == SupportOutcome.NOT_POSSIBLE
    hidden = make_report(visibility=Visibility.PENDING_CONFIRMATION)
    assert confirmation.add_support(hidden, "s1") == SupportOutcome.NOT_POSSIBLE


def test_support_with_email_subscribes_with_double_opt_in(
    client, make_report, django_capture_on_commit_callbacks
):
    report = make_report()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:support", kwargs={"pk": report.pk}), {"email": "ben@example.org"})
    subscription = Subscription.objects.get(report=report)
    assert subscription.confirmed_at is None
    (message,) = mail.outbox
    confirm_url = reverse("reports:subscription-confirm", kwargs={"token": subscription.token})
    assert confirm_url in message.body
    client.get(confirm_url)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # GET does not confirm
    assert "ab jetzt Neuigkeiten" in client.post(confirm_url).content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_subscribe_page_rejects_bad_email(client, make_report):
    report = make_report()
    response = client.post(reverse("reports:subscribe", kwargs={"pk": report.pk}), {"email": "kaputt"})
    assert response.status_code == 400 and "gültige E-Mail" in response.content.decode()
    assert not Subscription.objects.exists()


def test_unsubscribe_needs_post(client, make_report):
    report = make_report()
    subscription = Subscription.objects.create(
        report=report, email="c@example.org", confirmed_at=timezone.now()
    )
    url = reverse("reports:unsubscribe", kwargs={"token": subscription.token})
    assert client.get(url).status_code == 200
    assert Subscription.objects.exists()
    assert "keine E-Mails mehr" in client.post(url).content.decode()
    assert not Subscription.objects.exists()
    assert client.get(url).status_code == 404
    assert confirmation.unsubscribe("kaputt") is False
