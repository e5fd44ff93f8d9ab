"""The one shape of every back-office write of a report: check the permission, lock and reload the row,
compare (the caller: nothing changed means no event), set the fields, save only those fields with
`updated_at`, and record one Event at the same moment.

workflow, moderation and personal_data build on it; call these inside `transaction.atomic`.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.reports import permissions
from stadtdigital.reports.models import Event, Report
from stadtdigital.reports.services.history import record_event


class NotAllowed(PermissionDenied):
    """The user may not do this with this report."""


class WorkflowError(ValueError):
    """The change is not possible as asked; `field` names the form field the message belongs to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def require_change(user, report: Report) -> None:
    if user is None or not permissions.can_change_report(user, report):
        raise NotAllowed(_("Sie dürfen dieses Anliegen nicht ändern."))


def lock(report: Report) -> None:
    """Locks the row (PostgreSQL; SQLite serialises writes anyway) and reloads it inside the transaction."""
    list(Report.objects.select_for_update().filter(pk=report.pk).values_list("pk", flat=True))
    report.refresh_from_db()


def lock_for_change(report: Report, user) -> None:
    """Raises NotAllowed unless `user` may change the report, then locks and reloads it."""
    require_change(user, report)
    lock(report)


def save_fields(report: Report, changes: dict, now) -> None:
    """Sets `changes` (field name → value) and `updated_at`, and saves only these fields."""
    for field, value in changes.items():
        setattr(report, field, value)
    report.updated_at = now
    report.save(update_fields=[*changes, "updated_at"])


def save_change(
    report: Report, changes: dict, kind: str, *, by, is_public: bool = False, at=None, **event
) -> Event:
    """Saves `changes` (see save_fields) and records one event of `kind` by `by` at the same moment.

    The event is internal unless `is_public=True`; `event` takes record_event's other arguments."""
    now = at or timezone.now()
    save_fields(report, changes, now)
    return record_event(report, kind, actor=by, is_public=is_public, at=now, **event)
