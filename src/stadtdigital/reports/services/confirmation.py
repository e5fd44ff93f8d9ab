"""Email confirmation of reports, "betrifft mich auch" (support) and following a report by email.

Links in emails only lead to a page with a button; the change happens on POST, so mail scanners that
prefetch links never confirm, subscribe or unsubscribe anything.
"""

import enum
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from stadtdigital.core.mail import queue_mail
from stadtdigital.reports.models import EventKind, Report, Subscription, Visibility
from stadtdigital.reports.sending.services import queue_new_report
from stadtdigital.reports.services.history import record_event


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    ALREADY = "already"  # confirmed before (a second click is fine)
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ConfirmResult:
    outcome: Outcome
    report: Report | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.CONFIRMED, Outcome.ALREADY)


def _uuid(token) -> uuid.UUID | None:
    if isinstance(token, uuid.UUID):
        return token
    try:
        return uuid.UUID(str(token))
    except (ValueError, TypeError, AttributeError):
        return None


def report_for_token(token) -> Report | None:
    token = _uuid(token)
    if token is None:
        return None
    return Report.objects.select_related("category").filter(confirmation_token=token).first()


def is_expired(report: Report, now=None) -> bool:
    from stadtdigital.reports.services.intake import confirmation_deadline

    return (now or timezone.now()) > confirmation_deadline(report)


def confirm_report(token) -> ConfirmResult:
    """Makes a report waiting for its email confirmation public; never raises for a bad or old token."""
    report = report_for_token(token)
    if report is None:
        return ConfirmResult(Outcome.UNKNOWN)
    if report.visibility != Visibility.PENDING_CONFIRMATION:
        return ConfirmResult(Outcome.ALREADY if report.confirmed_at else Outcome.UNKNOWN, report)
    now = timezone.now()
    if is_expired(report, now):
        return ConfirmResult(Outcome.EXPIRED, report)
    with transaction.atomic():
        changed = Report.objects.filter(pk=report.pk, visibility=Visibility.PENDING_CONFIRMATION).update(
            visibility=Visibility.PUBLIC, confirmed_at=now, updated_at=now
        )
        if not changed:  # confirmed by a concurrent click
            return ConfirmResult(Outcome.ALREADY, report)
        report.refresh_from_db()
        record_event(report, EventKind.CONFIRMED, is_public=False, at=now)
        if report.reporter_email:
            # The reporter just proved the address is theirs: they follow their report without another mail.
            Subscription.objects.get_or_create(
                report=report, email=report.reporter_email.lower(), defaults={"confirmed_at": now}
            )
        queue_new_report(report)  # confirmed: now it goes to its body (after the commit)
        transaction.on_commit(lambda: _announce(report))
    return ConfirmResult(Outcome.CONFIRMED, report)


def _announce(report: Report) -> None:
    from stadtdigital.reports.services.intake import announce_public

    announce_public(report)


# --- support ("betrifft mich auch") ----------------------------------------------------------------------


class SupportOutcome(enum.StrEnum):
    COUNTED = "counted"
    ALREADY = "already"
    NOT_POSSIBLE = "not_possible"  # not public or closed


def supporter_id(session_key_or_ip: str) -> str:
    """A keyed hash: neither the session key nor an IP address is ever stored."""
    return salted_hmac("reports.support", session_key_or_ip).hexdigest()[:32]


def add_support(report: Report, session_key_or_ip: str) -> SupportOutcome:
    """Counts one "betrifft mich auch" per browser session (or address); a SUPPORT event (not public)
    remembers the hashed supporter."""
    if not report.is_public or not report.is_open:
        return SupportOutcome.NOT_POSSIBLE
    supporter = supporter_id(session_key_or_ip)
    with transaction.atomic():
        locked = Report.objects.select_for_update().filter(pk=report.pk).first()
        if locked is None:
            return SupportOutcome.NOT_POSSIBLE
        already = locked.events.filter(kind=EventKind.SUPPORT, data__supporter=supporter).exists()
        if already:
            return SupportOutcome.ALREADY
        Report.objects.filter(pk=report.pk).update(supporters_count=F("supporters_count") + 1)
        record_event(locked, EventKind.SUPPORT, is_public=False, data={"supporter": supporter})
    report.refresh_from_db(fields=["supporters_count"])
    return SupportOutcome.COUNTED


# --- following a report by email (double opt-in) ---------------------------------------------------------


def clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.")
        ) from None
    return email.lower()


def subscribe(report: Report, email: str) -> Subscription:
    """Starts following a public report: a confirmation mail with a link; nothing is sent to an address
    that already follows it (the answer to the visitor is the same, so addresses cannot be probed)."""
    email = clean_email(email)
    subscription, created = Subscription.objects.get_or_create(report=report, email=email)
    if subscription.confirmed_at is None:
        token = subscription.token
        transaction.on_commit(
            lambda: queue_mail(
                email,
                _("Bitte bestätigen Sie: Neuigkeiten zu Meldung Nr. %(number)s") % {"number": report.pk},
                "reports/email/subscription_confirm",
                {
                    "report": report,
                    "report_url": settings.SITE_URL + report.get_absolute_url(),
                    "confirm_url": settings.SITE_URL
                    + reverse("reports:subscription-confirm", kwargs={"token": token}),
                    "unsubscribe_url": settings.SITE_URL
                    + reverse("reports:unsubscribe", kwargs={"token": token}),
                },
            )
        )
    return subscription


def subscription_for_token(token) -> Subscription | None:
    token = _uuid(token)
    if token is None:
        return None
    return Subscription.objects.select_related("report").filter(token=token).first()


def confirm_subscription(token) -> Subscription | None:
    subscription = subscription_for_token(token)
    if subscription is None:
        return None
    if subscription.confirmed_at is None:
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        subscription.refresh_from_db()
    return subscription


def unsubscribe(token) -> bool:
    """Ends a subscription; False when the link is unknown (e.g. already unsubscribed)."""
    subscription = subscription_for_token(token)
    if subscription is None:
        return False
    subscription.delete()
    return True
