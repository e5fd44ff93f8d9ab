"""Moderation: remove personal data from a report's text, hide a photo, hide a whole report.

Every step is logged as a MODERATION event. The original text is kept in the event's `data` for staff; the
public page shows only the new text and a neutral line that the text was edited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from stadtdigital.reports.models import EventKind, Photo, Report, Visibility
from stadtdigital.reports.services._transitions import WorkflowError, lock_for_change, save_change

EDITED_PUBLIC_TEXT = (
    "Die Beschreibung wurde von der Verwaltung überarbeitet (z. B. um persönliche Daten zu entfernen)."
)


@transaction.atomic
def edit_description(report: Report, new_text: str, by, reason: str = ""):
    lock_for_change(report, by)
    new_text = new_text.strip()
    if new_text == report.description:
        return None
    original = report.description
    return save_change(
        report,
        {"description": new_text},
        EventKind.MODERATION,
        by=by,
        public_text=EDITED_PUBLIC_TEXT,
        internal_note=reason.strip() or _("Beschreibung bearbeitet"),
        is_public=True,
        data={"action": "edit_description", "field": "description", "original": original, "new": new_text},
    )


def _set_photo_hidden(photo: Photo, hidden: bool, by, reason: str):
    report = photo.report
    lock_for_change(report, by)
    photo.refresh_from_db()
    if photo.hidden == hidden:
        return None
    photo.hidden = hidden
    photo.save(update_fields=["hidden"])
    return save_change(
        report,
        {},
        EventKind.MODERATION,
        by=by,
        internal_note=(_("Foto verborgen") if hidden else _("Foto wieder gezeigt")) + _with_reason(reason),
        data={"action": "hide_photo" if hidden else "unhide_photo", "photo": photo.pk},
    )


@transaction.atomic
def hide_photo(photo: Photo, by, reason: str = ""):
    return _set_photo_hidden(photo, True, by, reason)


@transaction.atomic
def unhide_photo(photo: Photo, by, reason: str = ""):
    return _set_photo_hidden(photo, False, by, reason)


@transaction.atomic
def hide_report(report: Report, by, reason: str = ""):
    lock_for_change(report, by)
    if report.visibility == Visibility.HIDDEN:
        return None
    if not reason.strip():
        raise WorkflowError(_("Bitte geben Sie an, warum das Anliegen verborgen wird."), "reason")
    previous = report.visibility
    return save_change(
        report,
        {"visibility": Visibility.HIDDEN},
        EventKind.MODERATION,
        by=by,
        internal_note=_("Anliegen verborgen: %(reason)s") % {"reason": reason.strip()},
        data={"action": "hide_report", "previous_visibility": previous},
    )


@transaction.atomic
def unhide_report(report: Report, by, reason: str = ""):
    """Shows a hidden report again (public; a report never confirmed by email goes back to waiting)."""
    lock_for_change(report, by)
    if report.visibility != Visibility.HIDDEN:
        return None
    hidden_event = (
        report.events.filter(kind=EventKind.MODERATION, data__action="hide_report").order_by("-id").first()
    )
    previous = (hidden_event.data.get("previous_visibility") if hidden_event else None) or Visibility.PUBLIC
    if previous == Visibility.PENDING_CONFIRMATION and report.confirmed_at:
        previous = Visibility.PUBLIC
    return save_change(
        report,
        {"visibility": previous},
        EventKind.MODERATION,
        by=by,
        internal_note=_("Anliegen wieder sichtbar") + _with_reason(reason),
        data={"action": "unhide_report", "visibility": previous},
    )


def _with_reason(reason: str) -> str:
    return f": {reason.strip()}" if reason.strip() else ""
