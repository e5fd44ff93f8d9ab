"""Accessibility feedback keeps its sender's name and email only ACCESSIBILITY_FEEDBACK_RETENTION_DAYS (after
the answer; unanswered: after receipt); the daily personal-data job deletes them, the record stays."""

import datetime

import pytest
from django.utils import timezone

from stadtdigital.core import scheduling
from stadtdigital.core.models import AccessibilityFeedback

PERSONAL_DATA_JOB = "stadtdigital.reports.services.privacy.purge_personal_data"


def _feedback(received_days_ago: int, answered_days_ago: int | None = None, **fields):
    now = timezone.now()
    feedback = AccessibilityFeedback.objects.create(
        message="Der Kontrast der Schaltfläche ist zu schwach.",
        page_url="/anliegen/neu/",
        name=fields.get("name", "Erika Mustermann"),
        email=fields.get("email", "erika@example.org"),
    )
    answered = now - datetime.timedelta(days=answered_days_ago) if answered_days_ago is not None else None
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(
        created_at=now - datetime.timedelta(days=received_days_ago),
        answered_at=answered,
        answer="Danke, ist behoben." if answered else "",
    )
    return feedback.pk


@pytest.mark.django_db
def test_the_daily_personal_data_job_forgets_old_contacts_and_keeps_the_record(settings):
    settings.ACCESSIBILITY_FEEDBACK_RETENTION_DAYS = 180
    unanswered_old = _feedback(181)
    unanswered_recent = _feedback(179)
    answered_long_ago = _feedback(400, answered_days_ago=200)
    answered_recently = _feedback(400, answered_days_ago=30)  # received long ago: still being talked about

    assert PERSONAL_DATA_JOB in scheduling.daily_jobs()
    scheduling.run_due_daily_jobs(jobs=[PERSONAL_DATA_JOB])  # the tests' task backend runs it right away

    rows = {f.pk: f for f in AccessibilityFeedback.objects.all()}
    for pk in (unanswered_old, answered_long_ago):
        assert (rows[pk].name, rows[pk].email) == ("", "")
        assert rows[pk].message == "Der Kontrast der Schaltfläche ist zu schwach."
        assert rows[pk].page_url == "/anliegen/neu/"
    assert rows[answered_long_ago].answer == "Danke, ist behoben."
    for pk in (unanswered_recent, answered_recently):
        assert (rows[pk].name, rows[pk].email) == ("Erika Mustermann", "erika@example.org")


@pytest.mark.django_db
def test_the_period_is_a_setting(settings):
    from stadtdigital.core.services import forget_accessibility_feedback_contacts

    pk = _feedback(40)
    settings.ACCESSIBILITY_FEEDBACK_RETENTION_DAYS = 60
    assert forget_accessibility_feedback_contacts() == 0
    settings.ACCESSIBILITY_FEEDBACK_RETENTION_DAYS = 30
    assert forget_accessibility_feedback_contacts() == 1
    assert AccessibilityFeedback.objects.get(pk=pk).email == ""
    assert forget_accessibility_feedback_contacts() == 0  # done once


def test_the_default_period_is_180_days():
    from stadtdigital import settings as project_settings

    assert project_settings.ACCESSIBILITY_FEEDBACK_RETENTION_DAYS == 180
