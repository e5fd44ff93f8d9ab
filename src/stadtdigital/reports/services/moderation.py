"""Moderation: remove personal data from a report's text, hide a photo, hide a whole report.

Every step is logged as a MODERATION event. The original text is kept in the event's `data` for staff; the
public page shows only the new text and a neutral line that the text was edited.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.reports.models import EventKind, Photo, Report, Visibility
from stadtdigital.reports.services.history import record_event
from stadtdigital.reports.services.workflow import WorkflowError, _lock, _require_change

EDITED_PUBLIC_TEXT = (
    "Die Beschreibung wurde von der Verwaltung überarbeitet (z. B. um persönliche Daten zu entfernen)."
)


@transaction.atomic
def edit_description(report: Report, new_text: str, by, reason: str = ""):
    _require_change(by, report)
    _lock(report)
    new_text = new_text.strip()
    if new_text == report.description:
        return None
    original = report.description
    now = timezone.now()
    report.description = new_text
    report.updated_at = now
    report.save(update_fields=["description", "updated_at"])
    return record_event(
        report,
        EventKind.MODERATION,
        actor=by,
        public_text=EDITED_PUBLIC_TEXT,
        internal_note=reason.strip() or _("Beschreibung bearbeitet"),
        is_public=True,
        data={"action": "edit_description", "field": "description", "original": original, "new": new_text},
        at=now,
    )


def _set_photo_hidden(photo: Photo, hidden: bool, by, reason: str):
    report = photo.report
    _require_change(by, report)
    _lock(report)
    photo.refresh_from_db()
    if photo.hidden == hidden:
        return None
    now = timezone.now()
    photo.hidden = hidden
    photo.save(update_fields=["hidden"])
    Report.objects.filter(pk=report.pk).update(updated_at=now)
    return record_event(
        report,
        EventKind.MODERATION,
        actor=by,
        is_public=False,
        internal_note=(_("Foto verborgen") if hidden else _("Foto wieder gezeigt"))
        + (f": {reason.strip()}" if reason.strip() else ""),
        data={"action": "hide_photo" if hidden else "unhide_photo", "photo": photo.pk},
        at=now,
    )


@transaction.atomic
def hide_photo(photo: Photo, by, reason: str = ""):
    return _set_photo_hidden(photo, True, by, reason)


@transaction.atomic
def unhide_photo(photo: Photo, by, reason: str = ""):
    return _set_photo_hidden(photo, False, by, reason)


@transaction.atomic
def hide_report(report: Report, by, reason: str = ""):
    _require_change(by, report)
    _lock(report)
    if report.visibility == Visibility.HIDDEN:
        return None
    if not reason.strip():
        raise WorkflowError(_("Bitte geben Sie an, warum das Anliegen verborgen wird."), "reason")
    previous = report.visibility
    now = timezone.now()
    report.visibility = Visibility.HIDDEN
    report.updated_at = now
    report.save(update_fields=["visibility", "updated_at"])
    return record_event(
        report,
        EventKind.MODERATION,
        actor=by,
        is_public=False,
        internal_note=_("Anliegen verborgen: %(reason)s") % {"reason": reason.strip()},
        data={"action": "hide_report", "previous_visibility": previous},
        at=now,
    )


@transaction.atomic
def unhide_report(report: Report, by, reason: str = ""):
    """Shows a hidden report again (public; a report never confirmed by email goes back to waiting)."""
    _require_change(by, report)
    _lock(report)
    if report.visibility != Visibility.HIDDEN:
        return None
    hidden_event = (
        report.events.filter(kind=EventKind.MODERATION, data__action="hide_report").order_by("-id").first()
    )
    previous = (hidden_event.data.get("previous_visibility") if hidden_event else None) or Visibility.PUBLIC
    if previous == Visibility.PENDING_CONFIRMATION and report.confirmed_at:
        previous = Visibility.PUBLIC
    now = timezone.now()
    report.visibility = previous
    report.updated_at = now
    report.save(update_fields=["visibility", "updated_at"])
    return record_event(
        report,
        EventKind.MODERATION,
        actor=by,
        is_public=False,
        internal_note=_("Anliegen wieder sichtbar") + (f": {reason.strip()}" if reason.strip() else ""),
        data={"action": "unhide_report", "visibility": previous},
        at=now,
    )
