"""Status back from the bodies that received a report (decision 0023).

- Open311 targets are polled (`poll_open311_target`): tokens are resolved to service_request_ids, then
  `servicerequestupdates.json` (FixMyStreet's extension, since the last poll) is read; a server without
  it is asked for `requests.json?service_request_id=...` and its status/status_notes compared with what
  we saw last. Each update is applied once (RemoteUpdate keeps its id).
- Email and webhook targets report through the inbound endpoint (views/sending.py) with their secret.

`apply_remote_update()` maps the other side's status onto ours: a public note becomes a public answer in
the report's history and a mail to the reporter and subscribers; "fixed"/"closed" closes an open report
as "erledigt" (which starts the "behoben?" loop: the reporter's mail asks whether it is really fixed);
"no_further_action" and the like close it "ohne Behebung"; "in_progress" etc. move it to "in
Bearbeitung". A report we already closed (e.g. "nicht zuständig") only gets the public note.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from stadtdigital.reports.models import (
    OPEN_STATES,
    Dispatch,
    DispatchState,
    RemoteUpdate,
    SendMethod,
    SendTarget,
    State,
)
from stadtdigital.reports.sending.base import SendError

logger = logging.getLogger(__name__)

# Open311 / FixMyStreet statuses -> our state (None: no state change, only the note).
STATUS_MAP = {
    "open": None,
    "confirmed": None,
    "investigating": State.IN_REVIEW,
    "in_progress": State.IN_PROGRESS,
    "action_scheduled": State.IN_PROGRESS,
    "fixed": State.FIXED,
    "closed": State.FIXED,
    "no_further_action": State.CLOSED_NOT_FIXED,
    "not_councils_responsibility": State.CLOSED_NOT_FIXED,
    "internal_referral": State.CLOSED_NOT_FIXED,
    "unable_to_fix": State.CLOSED_NOT_FIXED,
    "duplicate": State.CLOSED_NOT_FIXED,
    "wont_fix": State.CLOSED_NOT_FIXED,
}


def apply_remote_update(dispatch: Dispatch, *, update_id: str, status: str, description: str = "") -> bool:
    """Applies one update of the target to the report; False when it was applied before."""
    from stadtdigital.reports.services import workflow

    status = (status or "").strip().lower()
    description = (description or "").strip()
    target = dispatch.target
    with transaction.atomic():
        try:
            with transaction.atomic():
                RemoteUpdate.objects.create(
                    target=target, update_id=str(update_id)[:200], report=dispatch.report
                )
        except IntegrityError:
            return False
        Dispatch.objects.filter(pk=dispatch.pk).update(external_status=status[:40])
        report = dispatch.report
        report.refresh_from_db()
        wanted = STATUS_MAP.get(status)
        text = f"Rückmeldung von {target.name}: {description}" if description else ""
        can_move = (
            wanted is not None
            and report.state in OPEN_STATES
            and wanted != report.state
            and wanted in workflow.TRANSITIONS[report.state]
        )
        if can_move:
            reason = text or f"Rückmeldung von {target.name}: {status}"
            workflow.change_state(
                report,
                wanted,
                user=None,
                system=True,
                public_text="" if wanted in workflow.REASON_REQUIRED else text,
                reason=reason if wanted in workflow.REASON_REQUIRED else "",
                internal_note=f"Status von {target.name}: {status}",
            )
        elif text:
            workflow.answer(report, text, None, system=True)
    return True


# --- polling Open311 targets ---------------------------------------------------------------------------


def poll_open311_target(target: SendTarget, *, now=None) -> int:
    """Reads the target's updates since the last poll and applies them; returns how many were new."""
    from stadtdigital.reports.sending import open311
    from stadtdigital.reports.sending.http import get_json

    now = now or timezone.now()
    sent = Dispatch.objects.filter(target=target, state=DispatchState.SENT).select_related("report", "target")
    for dispatch in sent.filter(external_id="").exclude(external_token=""):
        try:
            resolved = open311.resolve_token(target, dispatch.external_token)
        except SendError as exc:
            logger.warning("token %s at %s: %s", dispatch.external_token, target, exc.message)
            continue
        if resolved:
            Dispatch.objects.filter(pk=dispatch.pk).update(external_id=resolved[:200])
    by_id = {d.external_id: d for d in sent.exclude(external_id="")}
    if not by_id:
        SendTarget.objects.filter(pk=target.pk).update(last_polled_at=now)
        return 0
    since = target.last_polled_at or min(d.sent_at or d.created_at for d in by_id.values())
    since -= datetime.timedelta(minutes=5)  # clock skew between the servers; duplicates are skipped
    base = open311.base_url(target)
    jurisdiction = {"jurisdiction_id": target.jurisdiction_id} if target.jurisdiction_id else {}
    applied = 0
    try:
        page, first_of_previous = 1, None
        while True:
            rows = get_json(
                f"{base}/servicerequestupdates.json",
                {**jurisdiction, "start_date": since.isoformat(), "end_date": now.isoformat(), "page": page},
            )
            if not isinstance(rows, list):
                raise SendError("servicerequestupdates: keine Liste")
            for row in rows:
                if not isinstance(row, dict):
                    continue
                dispatch = by_id.get(str(row.get("service_request_id")))
                if dispatch is not None and apply_remote_update(
                    dispatch,
                    update_id=f"u{row.get('update_id')}",
                    status=str(row.get("status") or ""),
                    description=str(row.get("description") or ""),
                ):
                    applied += 1
            first = rows[0].get("update_id") if rows and isinstance(rows[0], dict) else None
            # Stop at an empty page, or when the server ignores `page` (the same rows again).
            if not rows or first == first_of_previous or page >= 100:
                break
            first_of_previous, page = first, page + 1
    except SendError as exc:
        logger.info("%s offers no servicerequestupdates (%s); reading requests instead", target, exc.message)
        applied += _poll_requests(target, by_id, jurisdiction)
    SendTarget.objects.filter(pk=target.pk).update(last_polled_at=now)
    return applied


def _poll_requests(target, by_id: dict, jurisdiction: dict) -> int:
    from stadtdigital.reports.sending import open311
    from stadtdigital.reports.sending.http import get_json

    applied = 0
    ids = sorted(by_id)
    for start in range(0, len(ids), 50):
        chunk = ids[start : start + 50]
        rows = get_json(
            f"{open311.base_url(target)}/requests.json",
            {**jurisdiction, "service_request_id": ",".join(chunk)},
        )
        for row in rows if isinstance(rows, list) else ():
            dispatch = by_id.get(str(row.get("service_request_id")))
            if dispatch is None:
                continue
            status = str(row.get("status") or "")
            notes = str(row.get("status_notes") or "")
            stamp = str(row.get("updated_datetime") or "")
            if parse_datetime(stamp) is None and status == dispatch.external_status:
                continue
            if apply_remote_update(
                dispatch,
                update_id=f"r{row.get('service_request_id')}:{stamp}:{status}",
                status=status,
                description=notes,
            ):
                applied += 1
    return applied


def poll_all(now=None) -> int:
    """Polls every active Open311 target that has not been polled for SENDING_POLL_MINUTES, each claimed
    by a conditional update so that several workers never poll one target at the same time."""
    now = now or timezone.now()
    due_before = (
        now - datetime.timedelta(minutes=settings.SENDING_POLL_MINUTES) + datetime.timedelta(seconds=5)
    )
    applied = 0
    targets = SendTarget.objects.filter(method=SendMethod.OPEN311, is_active=True)
    for target in targets.filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=due_before)):
        claimed = (
            SendTarget.objects.filter(pk=target.pk)
            .filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=due_before))
            .update(last_polled_at=now)
        )
        if not claimed:  # another worker polls it right now
            continue
        try:
            applied += poll_open311_target(target, now=now)
        except Exception:  # noqa: BLE001 - one broken target must not stop the others
            logger.exception("status poll of %s failed", target)
            # Next time from the same point again: nothing in between is missed.
            SendTarget.objects.filter(pk=target.pk).update(last_polled_at=target.last_polled_at)
    requeue_stale_pending(now)
    return applied


def requeue_stale_pending(now=None) -> int:
    """Pending dispatches whose task was lost (enqueue failed, worker crashed) are queued again."""
    from stadtdigital.reports.sending.services import enqueue

    now = now or timezone.now()
    stale = Dispatch.objects.filter(
        state=DispatchState.PENDING, updated_at__lt=now - datetime.timedelta(hours=2)
    ).values_list("pk", flat=True)[:1000]
    count = 0
    for dispatch_id in stale:
        Dispatch.objects.filter(pk=dispatch_id).update(updated_at=now)
        enqueue(dispatch_id)
        count += 1
    return count


def poll_and_reschedule() -> int:
    """The poll task: polls, then queues itself again in SENDING_POLL_MINUTES (a chain started by the
    daily job `ensure_polling`, which restarts it if it ever broke)."""
    from stadtdigital.reports.sending.tasks import poll_status_task

    try:
        return poll_all()
    finally:
        try:
            delay = datetime.timedelta(minutes=settings.SENDING_POLL_MINUTES)
            poll_status_task.using(run_after=timezone.now() + delay).enqueue()
        except Exception:  # noqa: BLE001 - immediate backend in tests; the daily job restarts the chain
            logger.debug("poll task not re-queued", exc_info=True)


def ensure_polling() -> int:
    """Daily job: starts the poll chain unless a poll task is already waiting."""
    from django_tasks_db.models import DBTaskResult

    from stadtdigital.reports.sending.tasks import poll_status_task

    if not SendTarget.objects.filter(method=SendMethod.OPEN311, is_active=True).exists():
        return 0
    waiting = DBTaskResult.objects.filter(status="READY", task_path=poll_status_task.module_path).exists()
    if not waiting:
        poll_status_task.enqueue()
    return 0 if waiting else 1
