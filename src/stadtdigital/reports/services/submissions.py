"""The report form's one-time token: a double submit (double click, reload after a dropped connection)
shows the first result instead of filing the report twice.

The form carries a random token; the first submit claims it (a row under a unique constraint) before
storing the report and records the report afterwards. A second submit with the same token finds the report
(waiting a moment while the first is still being stored). A rejected submit releases its claim, so the
corrected form can be sent again. Tokens are forgotten after a day (daily job).
"""

import datetime
import re
import secrets
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from stadtdigital.reports.models import FormSubmission, Report

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
WAIT_SECONDS = 10
STALE_CLAIM = datetime.timedelta(minutes=2)
KEPT_FOR = datetime.timedelta(days=1)


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class Claim:
    submission: FormSubmission | None

    def finish(self, report: Report) -> None:
        if self.submission is not None:
            FormSubmission.objects.filter(pk=self.submission.pk).update(report=report)

    def release(self) -> None:
        if self.submission is not None:
            FormSubmission.objects.filter(pk=self.submission.pk, report=None).delete()


@dataclass
class AlreadySubmitted:
    report: Report | None  # None: the first submit is still being stored


def claim(token: str) -> Claim | AlreadySubmitted:
    """A claim to store the report, or the report the same form already filed."""
    if not TOKEN_RE.match(token or ""):
        return Claim(None)  # a form from before tokens, or a client without one: not protected
    FormSubmission.objects.filter(
        token=token, report=None, created_at__lt=timezone.now() - STALE_CLAIM
    ).delete()  # a first submit that died with its process
    try:
        with transaction.atomic():
            return Claim(FormSubmission.objects.create(token=token))
    except IntegrityError:
        pass
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        first = FormSubmission.objects.filter(token=token).select_related("report").first()
        if first is None:  # the first submit was rejected meanwhile: this one may try
            return claim(token)
        if first.report is not None or time.monotonic() > deadline:
            return AlreadySubmitted(first.report)
        time.sleep(0.2)


def forget_old_tokens() -> int:
    deleted, _counts = FormSubmission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
