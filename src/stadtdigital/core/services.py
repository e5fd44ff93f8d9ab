"""Writes of the core app: the accessibility feedback (stored, mailed to the city, answered)."""

from django.conf import settings
from django.db import transaction
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
