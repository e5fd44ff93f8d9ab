"""Queueing and doing a sending; "erneut senden"; the report's send state.

`queue_send()` is called inside the caller's transaction: it stores a pending Dispatch and enqueues the
send task only after the commit (`transaction.on_commit`), so no network I/O ever runs while a row or
the database's write lock is held, and a rolled-back change sends nothing. The task (`run_dispatch`)
calls the method outside any transaction; a failure is retried with growing delays
(SENDING_RETRY_DELAYS) and then marked "failed", with the target's error, for the back office's queue
"Versand fehlgeschlagen". Nothing is lost: the report is stored before any sending starts.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

from stadtdigital.reports.models import Dispatch, DispatchState, EventKind
from stadtdigital.reports.sending.base import SendError

logger = logging.getLogger(__name__)
# Stored texts are in the city's language (the public history), whatever language the visitor reads.
OUTSIDE_BODY_TEXT = "Zuständig ist: %(body)s. Wir haben Ihr Anliegen dorthin übermittelt."


def queue_send(report, reason: str, *, target=None) -> Dispatch | None:
    """Stores a pending sending of `report` to `target` (default: routing) and queues it after commit."""
    from stadtdigital.reports.sending.routing import target_for

    target = target or target_for(report)
    if target is None:
        return None
    dispatch = Dispatch.objects.create(report=report, target=target, reason=reason)
    transaction.on_commit(lambda: enqueue(dispatch.pk))
    return dispatch


def enqueue(dispatch_id: int, *, delay: datetime.timedelta | None = None) -> None:
    from stadtdigital.reports.sending.tasks import send_dispatch_task

    try:
        if delay:
            send_dispatch_task.using(run_after=timezone.now() + delay).enqueue(dispatch_id)
        else:
            send_dispatch_task.enqueue(dispatch_id)
    except Exception:  # noqa: BLE001 - the dispatch stays pending; the poll re-queues stale ones
        logger.exception("could not queue sending %s", dispatch_id)


def retry_delay(attempt: int) -> datetime.timedelta | None:
    """Delay before the attempt after `attempt` (1-based), or None when attempts are used up."""
    delays = settings.SENDING_RETRY_DELAYS
    return datetime.timedelta(seconds=delays[attempt - 1]) if attempt <= len(delays) else None


def _can_defer() -> bool:
    from stadtdigital.reports.sending.tasks import send_dispatch_task

    return task_backends[send_dispatch_task.backend].supports_defer


def run_dispatch(dispatch_id: int) -> str:
    """Sends one pending dispatch (the send task's body). Returns the resulting state."""
    from stadtdigital.reports.sending import method_for
    from stadtdigital.reports.services.history import record_event

    dispatch = (
        Dispatch.objects.select_related("report__category", "report__department", "target")
        .filter(pk=dispatch_id)
        .first()
    )
    if dispatch is None or dispatch.state != DispatchState.PENDING:
        return dispatch.state if dispatch else "missing"
    report, target = dispatch.report, dispatch.target
    attempt = dispatch.attempts + 1
    try:
        result = method_for(target)(report, target, dispatch=dispatch)
    except Exception as exc:  # noqa: BLE001 - any failure is kept and shown, never lost
        if not isinstance(exc, SendError):
            logger.exception("sending %s to %s failed unexpectedly", dispatch_id, target)
        error = exc.message if isinstance(exc, SendError) else f"{type(exc).__name__}: {exc}"
        permanent = isinstance(exc, SendError) and exc.permanent
        delay = None if permanent or not _can_defer() else retry_delay(attempt)
        state = DispatchState.PENDING if delay else DispatchState.FAILED
        Dispatch.objects.filter(pk=dispatch.pk).update(
            attempts=attempt, last_error=error, state=state, updated_at=timezone.now()
        )
        if delay:
            logger.warning("sending %s to %s failed (%s); again in %s", dispatch_id, target, error, delay)
            enqueue(dispatch.pk, delay=delay)
        else:
            record_event(
                report,
                EventKind.NOTE,
                is_public=False,
                internal_note=f"Versand an „{target.name}“ fehlgeschlagen ({attempt} Versuche): {error}",
                data={"dispatch": dispatch.pk, "sending": "failed"},
            )
        return state
    now = timezone.now()
    Dispatch.objects.filter(pk=dispatch.pk).update(
        attempts=attempt,
        state=DispatchState.SENT,
        external_id=result.external_id,
        external_token=result.token,
        sent_at=now,
        updated_at=now,
    )
    record_event(
        report,
        EventKind.NOTE,
        is_public=False,
        internal_note=result.note,
        data={"dispatch": dispatch.pk, "sending": "sent", "external_id": result.external_id},
        at=now,
    )
    if target.department_id is None and dispatch.reason != "forwarded":
        _tell_citizen(report, target)
    return DispatchState.SENT


def _tell_citizen(report, target) -> None:
    """An outside body handles it (its area, or a category the city passes on): the citizen is told who,
    publicly and by mail ("nicht zuständig" says so in its own state change)."""
    from stadtdigital.reports.services import workflow

    text = OUTSIDE_BODY_TEXT % {"body": target.name}
    try:
        workflow.answer(report, text, None, system=True)
    except Exception:  # noqa: BLE001 - the sending succeeded; a failed notice must not undo that
        logger.exception("could not tell the citizen who handles report %s", report.pk)


def retry(dispatch: Dispatch, user) -> Dispatch:
    """ "erneut senden": the failed dispatch becomes pending again and is queued (after commit)."""
    from stadtdigital.reports import permissions
    from stadtdigital.reports.services.workflow import NotAllowed

    if not permissions.can_change_report(user, dispatch.report):
        raise NotAllowed("Sie dürfen dieses Anliegen nicht ändern.")
    with transaction.atomic():
        updated = Dispatch.objects.filter(pk=dispatch.pk, state=DispatchState.FAILED).update(
            state=DispatchState.PENDING, attempts=0, updated_at=timezone.now()
        )
        if updated:
            transaction.on_commit(lambda: enqueue(dispatch.pk))
    dispatch.refresh_from_db()
    return dispatch


def current_dispatch(report) -> Dispatch | None:
    return report.dispatches.select_related("target").first()


def queue_new_report(report) -> Dispatch | None:
    """For a new (or just confirmed) report: queue it for its target. A failure here (a broken area, a
    database hiccup) is logged and never undoes the accepted report; the savepoint keeps the caller's
    transaction usable."""
    try:
        with transaction.atomic():
            return queue_send(report, "new")
    except Exception:  # noqa: BLE001 - the report is accepted whatever happens to its sending
        logger.exception("could not queue sending of new report %s", report.pk)
        return None
