"""Personal data in a report's free text: masked when the report is filed, reviewed by a moderator.

`mask_input` runs in the one intake path (web form, Open311 POST, staff, import) before the report is
stored: the description and the text answers are stored masked, so every public output (report page, list,
feeds, Open311, open data files) shows only the placeholders without having to know about this module. The
original goes into a PersonalDataFinding for staff. A moderator then either keeps the masking (the original
is deleted: data minimisation) or releases the text as written (a false alarm); both are MODERATION events.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.reports import pii
from stadtdigital.reports.models import (
    AttributeValue,
    EventKind,
    PersonalDataFinding,
    PersonalDataReview,
    Report,
)
from stadtdigital.reports.services._transitions import WorkflowError, lock_for_change, save_change
from stadtdigital.reports.services.history import record_event


@dataclass
class MaskedInput:
    description: str
    answers: dict  # question -> value, masked
    kinds: list[str] = field(default_factory=list)
    original_description: str = ""
    original_answers: dict = field(default_factory=dict)  # question id (str) -> original value

    @property
    def found(self) -> bool:
        return bool(self.kinds)


def mask_input(description: str, answers: dict) -> MaskedInput:
    """Masks personal data in the description and in text answers (choices and numbers cannot hold any)."""
    masked_description, findings = pii.mask(description)
    result = MaskedInput(masked_description, dict(answers))
    all_findings = list(findings)
    if findings:
        result.original_description = description
    for question, value in answers.items():
        if isinstance(value, str):
            masked_value, found = pii.mask(value)
            if found:
                all_findings += found
                result.answers[question] = masked_value
                result.original_answers[str(question.pk)] = value
    result.kinds = pii.kinds(all_findings)
    return result


def record_finding(report: Report, masked: MaskedInput) -> PersonalDataFinding | None:
    if not masked.found:
        return None
    return PersonalDataFinding.objects.create(
        report=report,
        kinds=masked.kinds,
        original_description=masked.original_description,
        original_answers=masked.original_answers,
        created_at=report.created_at,
    )


def _pending(report: Report) -> PersonalDataFinding:
    finding = (
        PersonalDataFinding.objects.select_for_update().filter(
            report=report, review=PersonalDataReview.PENDING
        )
    ).first()
    if finding is None:
        raise WorkflowError(_("Bei diesem Anliegen wartet keine Prüfung persönlicher Daten."))
    return finding


def _close(finding: PersonalDataFinding, review: str, by, now) -> None:
    finding.review = review
    finding.reviewed_at = now
    finding.reviewed_by = by
    finding.original_description = ""
    finding.original_answers = {}
    finding.save()


@transaction.atomic
def keep_masked(report: Report, by):
    """The moderator confirms the masking; the original text is deleted."""
    lock_for_change(report, by)
    finding = _pending(report)
    now = timezone.now()
    kinds = list(finding.kinds)
    _close(finding, PersonalDataReview.KEPT_MASKED, by, now)
    return record_event(
        report,
        EventKind.MODERATION,
        actor=by,
        is_public=False,
        internal_note=_("Persönliche Daten bleiben maskiert; Originaltext gelöscht."),
        data={"action": "personal_data_masked", "kinds": kinds},
        at=now,
    )


@transaction.atomic
def release(report: Report, by):
    """The moderator found no personal data: the text is shown as the citizen wrote it."""
    lock_for_change(report, by)
    finding = _pending(report)
    now = timezone.now()
    for value in AttributeValue.objects.filter(report=report, question_id__in=finding.original_answers):
        value.value = finding.original_answers[str(value.question_id)]
        value.save(update_fields=["value"])
    kinds = list(finding.kinds)
    original = {"description": finding.original_description} if finding.original_description else {}
    _close(finding, PersonalDataReview.RELEASED, by, now)
    return save_change(
        report,
        original,
        EventKind.MODERATION,
        by=by,
        internal_note=_("Keine persönlichen Daten: Text wie geschrieben freigegeben."),
        data={"action": "personal_data_released", "kinds": kinds},
        at=now,
    )


def pending_finding(report: Report) -> PersonalDataFinding | None:
    return PersonalDataFinding.objects.filter(report=report, review=PersonalDataReview.PENDING).first()


def kind_labels(kinds: list[str]) -> list[str]:
    return [str(pii.KIND_LABELS.get(kind, kind)) for kind in kinds]
