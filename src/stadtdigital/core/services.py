"""Writes of the core app: the accessibility feedback (stored, mailed to the city, answered, and its
sender's name and email forgotten after ACCESSIBILITY_FEEDBACK_RETENTION_DAYS)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.core.mail import queue_mail_on_commit
from stadtdigital.core.models import AccessibilityFeedback


def submit_accessibility_feedback(data: dict) -> AccessibilityFeedback:
    """Stores the message first (nothing accepted is lost), then mails it to ACCESSIBILITY_CONTACT_EMAIL."""
    feedback = AccessibilityFeedback.objects.create(
        message=data["message"],
        page_url=data.get("page_url", ""),
        name=data.get("name", ""),
        email=data.get("email", ""),
    )
    if settings.ACCESSIBILITY_CONTACT_EMAIL:
        queue_mail_on_commit(
            settings.ACCESSIBILITY_CONTACT_EMAIL,
            _("Rückmeldung zur Barrierefreiheit Nr. %(id)s") % {"id": feedback.pk},
            "core/email/accessibility_feedback",
            {"feedback": feedback},
        )
    return feedback


@transaction.atomic
def answer_accessibility_feedback(feedback: AccessibilityFeedback, text: str, user) -> AccessibilityFeedback:
    """Stores the answer; mails it when the person left an address (else it is the city's record)."""
    feedback = AccessibilityFeedback.objects.select_for_update().get(pk=feedback.pk)
    feedback.answer = text.strip()
    feedback.answered_at = timezone.now()
    feedback.answered_by = user
    feedback.save(update_fields=["answer", "answered_at", "answered_by"])
    if feedback.email:
        queue_mail_on_commit(
            feedback.email,
            _("Ihre Rückmeldung zur Barrierefreiheit Nr. %(id)s") % {"id": feedback.pk},
            "core/email/accessibility_answer",
            {"feedback": feedback},
        )
    return feedback


def forget_accessibility_feedback_contacts(now: datetime.datetime | None = None) -> int:
    """Blanks name and email of feedback answered (unanswered: received) more than
    ACCESSIBILITY_FEEDBACK_RETENTION_DAYS days ago; returns how many. The page, message and answer stay: they
    are the city's record of the barrier. Run daily by the personal-data job (reports.services.privacy)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACCESSIBILITY_FEEDBACK_RETENTION_DAYS)
    old = Q(answered_at__lt=cutoff) | Q(answered_at__isnull=True, created_at__lt=cutoff)
    with_contact = ~Q(name="") | ~Q(email="")
    return AccessibilityFeedback.objects.filter(old, with_contact).update(name="", email="")
