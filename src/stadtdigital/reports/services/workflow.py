"""The case work on a report: every write of the back office goes through here.

Each function re-checks the user's permission (reports/permissions.py), locks the report row, changes it,
records one Event (who, when, from, to, public text, internal note; the shared steps are in
_transitions.py) and, for public changes, emails the reporter and confirmed subscribers (queued, a request
never waits on SMTP).

Transition table (`TRANSITIONS`): an open report (eingegangen, in Prüfung, in Bearbeitung, wieder geöffnet)
may move to any other working state (in Prüfung, in Bearbeitung) or be closed in any way; a closed report
(erledigt, geschlossen ohne Behebung, abgelehnt, Duplikat, nicht zuständig) can only be reopened
("wieder geöffnet"). Nothing goes back to "eingegangen", which is only the initial state.
- "geschlossen ohne Behebung" and "abgelehnt" need a reason, shown publicly;
- "nicht zuständig" needs the receiving body's name and passes the report on via reports/forwarding.py
  (which sends it through reports/sending/ after the commit);
- "Duplikat" needs the original (another report, open or closed, not itself a duplicate): the duplicate's
  supporters plus its reporter (one more person affected) are added to the original, its subscriptions move
  there (and its reporter is subscribed there), and duplicates of the duplicate are re-pointed to the
  original so there are never chains. Reopening a duplicate does not move anything back.
Closing sets closed_at; reopening clears it, clears duplicate_of/forwarded_to and gives the report a new
target date (now + the category's target days), so a reopened report is not overdue the moment it returns.
"""

import datetime
import math

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.core.mail import queue_mail
from stadtdigital.reports import permissions
from stadtdigital.reports.models import (
    CLOSED_STATES,
    OPEN_STATES,
    EventKind,
    Report,
    State,
    Subscription,
)
from stadtdigital.reports.services._transitions import NotAllowed as NotAllowed  # callers catch it here
from stadtdigital.reports.services._transitions import (
    WorkflowError,
    lock,
    lock_for_change,
    require_change,
    save_change,
    save_fields,
)
from stadtdigital.reports.services.history import record_event

WORKING_STATES = frozenset({State.IN_REVIEW, State.IN_PROGRESS})
TRANSITIONS: dict[str, frozenset] = {
    **{state: (WORKING_STATES | CLOSED_STATES) - {state} for state in OPEN_STATES},
    **{state: frozenset({State.REOPENED}) for state in CLOSED_STATES},
}
REASON_REQUIRED = frozenset({State.CLOSED_NOT_FIXED, State.REJECTED})

FEEDBACK_SALT = "stadtdigital.reports.feedback"
# Stored texts (public history) are in the city's language, whatever language the visitor reads.
REOPENED_BY_CITIZEN_TEXT = "Die meldende Person gibt an, dass das Problem nicht behoben ist."
CONFIRMED_FIXED_TEXT = "Die meldende Person bestätigt, dass das Problem behoben ist."


def allowed_transitions(state: str) -> list[str]:
    return [choice for choice in State.values if choice in TRANSITIONS.get(state, ())]


def feedback_days() -> int:
    return settings.REPORT_FEEDBACK_DAYS


def due_date(report: Report, *, start=None):
    start = start or report.created_at
    return start + datetime.timedelta(days=report.category.target_days)


# --- state changes ----------------------------------------------------------------------------------------


@transaction.atomic
def change_state(
    report: Report,
    to_state: str,
    *,
    user,
    public_text: str = "",
    internal_note: str = "",
    reason: str = "",
    forwarded_to: str = "",
    duplicate_of: Report | None = None,
    notify: bool = True,
    system: bool = False,
):
    """`system=True`: a change reported by the body that received the report (status back), no user."""
    if not system:
        require_change(user, report)
    lock(report)
    public_text, internal_note = public_text.strip(), internal_note.strip()
    reason, forwarded_to = reason.strip(), forwarded_to.strip()
    from_state = report.state
    if to_state not in State.values:
        raise WorkflowError(_("Unbekannter Status."), "state")
    if to_state not in TRANSITIONS[from_state]:
        raise WorkflowError(
            _("Von „%(from)s“ ist kein Wechsel zu „%(to)s“ möglich.")
            % {"from": State(from_state).label, "to": State(to_state).label},
            "state",
        )
    data = {}
    public_parts = []
    if to_state in REASON_REQUIRED:
        if not reason:
            raise WorkflowError(
                _("Bitte geben Sie eine Begründung an; sie wird öffentlich gezeigt."), "reason"
            )
        public_parts.append(reason)
        data["reason"] = reason
    if to_state == State.NOT_RESPONSIBLE:
        if not forwarded_to:
            raise WorkflowError(_("Bitte geben Sie an, an welche Stelle das Anliegen geht."), "forwarded_to")
        public_parts.append(_("Weitergeleitet an: %(to)s.") % {"to": forwarded_to})
        data["forwarded_to"] = forwarded_to
    if to_state == State.DUPLICATE:
        original = _check_original(report, duplicate_of, user)
        public_parts.append(_("Dieses Anliegen wurde bereits gemeldet: #%(id)s.") % {"id": original.pk})
        data["duplicate_of"] = original.pk
    if public_text:
        public_parts.append(public_text)

    now = timezone.now()
    changes = {"state": to_state, "is_open": to_state in OPEN_STATES}
    if to_state in CLOSED_STATES and from_state in OPEN_STATES:
        changes["closed_at"] = now
    if to_state == State.REOPENED:
        changes.update(closed_at=None, duplicate_of=None, forwarded_to="", due_at=due_date(report, start=now))
    if to_state == State.NOT_RESPONSIBLE:
        changes["forwarded_to"] = forwarded_to
    if to_state == State.DUPLICATE:
        changes["duplicate_of"] = original
    save_fields(report, changes, now)

    if to_state == State.DUPLICATE:
        data.update(_merge_into(report, original, user, now))
    if to_state == State.NOT_RESPONSIBLE:
        from stadtdigital.reports.forwarding import get_backend

        # Only queues the sending; it runs after the commit, never while this row is locked.
        note = get_backend().forward(
            report, to=forwarded_to, public_text="\n\n".join(public_parts), user=user
        )
        internal_note = "\n\n".join(part for part in (internal_note, note) if part)

    event = record_event(
        report,
        EventKind.STATE,
        actor=user,
        from_state=from_state,
        to_state=to_state,
        public_text="\n\n".join(public_parts),
        internal_note=internal_note,
        is_public=True,
        data=data,
        at=now,
    )
    if notify:
        notify_public_change(report, event)
    return event


def _check_original(report, original, user) -> Report:
    if original is None:
        raise WorkflowError(_("Bitte geben Sie die Nummer des ursprünglichen Anliegens an."), "duplicate_of")
    if original.pk == report.pk:
        raise WorkflowError(_("Ein Anliegen kann nicht Duplikat von sich selbst sein."), "duplicate_of")
    original = Report.objects.select_for_update().select_related("department").get(pk=original.pk)
    if original.state == State.DUPLICATE or original.duplicate_of_id:
        raise WorkflowError(
            _("#%(id)s ist selbst ein Duplikat; bitte wählen Sie das ursprüngliche Anliegen #%(original)s.")
            % {"id": original.pk, "original": original.duplicate_of_id or "?"},
            "duplicate_of",
        )
    if not permissions.can_view_report(user, original):
        raise WorkflowError(_("Das Anliegen #%(id)s gibt es nicht.") % {"id": original.pk}, "duplicate_of")
    return original


def _merge_into(duplicate: Report, original: Report, user, now) -> dict:
    """Moves supporters and subscriptions of `duplicate` to `original`; returns what moved (for the event)."""
    supporters = duplicate.supporters_count + 1  # its reporter is one more person affected
    Report.objects.filter(pk=original.pk).update(
        supporters_count=F("supporters_count") + supporters, updated_at=now
    )
    existing = set(original.subscriptions.values_list("email", flat=True))
    moved = 0
    for subscription in duplicate.subscriptions.all():
        if subscription.email.lower() in {email.lower() for email in existing}:
            subscription.delete()
        else:
            subscription.report = original
            subscription.save(update_fields=["report"])
            existing.add(subscription.email)
            moved += 1
    email = duplicate.reporter_email
    if email and not duplicate.personal_data_purged_at and email.lower() not in {e.lower() for e in existing}:
        Subscription.objects.create(report=original, email=email, confirmed_at=duplicate.confirmed_at or now)
        moved += 1
    # No chains: earlier duplicates of the duplicate now point to the original.
    chained = list(Report.objects.filter(duplicate_of=duplicate).values_list("pk", flat=True))
    Report.objects.filter(pk__in=chained).update(duplicate_of=original)
    record_event(
        original,
        EventKind.SUPPORT,
        actor=user,
        is_public=False,
        internal_note=_("Duplikat #%(id)s zusammengeführt: %(supporters)s Unterstützungen, %(subs)s Abos.")
        % {"id": duplicate.pk, "supporters": supporters, "subs": moved},
        data={"duplicate": duplicate.pk, "supporters": supporters, "subscriptions": moved},
        at=now,
    )
    original.refresh_from_db()
    return {"supporters_moved": supporters, "subscriptions_moved": moved, "repointed": chained}


# --- answers, notes, assignment, routing, location ---------------------------------------------------------


@transaction.atomic
def answer(report: Report, text: str, user, template=None, *, notify: bool = True, system: bool = False):
    """A public answer to the citizen (shown on the report page, emailed like a state change).
    `system=True`: a note reported back by the body that received the report."""
    if not system:
        require_change(user, report)
    text = text.strip()
    if not text:
        raise WorkflowError(_("Bitte geben Sie einen Antworttext ein."), "text")
    lock(report)
    event = save_change(
        report,
        {},
        EventKind.ANSWER,
        by=user,
        public_text=text,
        is_public=True,
        data={"template": template.pk} if template else {},
    )
    if notify:
        notify_public_change(report, event)
    return event


@transaction.atomic
def add_note(report: Report, text: str, user):
    """An internal note: staff only, never public, never emailed to citizens."""
    require_change(user, report)
    text = text.strip()
    if not text:
        raise WorkflowError(_("Bitte geben Sie eine Notiz ein."), "text")
    lock(report)
    return record_event(report, EventKind.NOTE, actor=user, internal_note=text, is_public=False)


def assignable_users(report: Report):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, departments=report.department_id)
        .order_by("last_name", "first_name", "username")
    )


def _user_label(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


@transaction.atomic
def assign(report: Report, assignee, by):
    lock_for_change(report, by)
    if assignee is not None and not assignable_users(report).filter(pk=assignee.pk).exists():
        raise WorkflowError(_("Zuweisen geht nur an Mitarbeitende des zuständigen Fachbereichs."), "assignee")
    previous = report.assigned_to
    if (previous.pk if previous else None) == (assignee.pk if assignee else None):
        return None
    return save_change(
        report,
        {"assigned_to": assignee},
        EventKind.ASSIGNMENT,
        by=by,
        internal_note=_("Zugewiesen an %(to)s") % {"to": _user_label(assignee)}
        if assignee
        else _("Zuweisung aufgehoben"),
        data={
            "from": previous.pk if previous else None,
            "from_name": _user_label(previous),
            "to": assignee.pk if assignee else None,
            "to_name": _user_label(assignee),
        },
    )


@transaction.atomic
def change_category(report: Report, category, by, *, internal_note: str = ""):
    """Re-routes the report to the new category's department and recomputes its target date.

    Staff decided the category, so the report leaves the triage queue; an assignee from the old department
    is removed. The event is internal (department names are internal structure; the public page shows the
    category anyway)."""
    lock_for_change(report, by)
    if category.pk == report.category_id:
        return None
    old_category, old_department = report.category, report.department
    report.category = category  # due_date() reads the new category's target days
    changes = {"category": category, "department": category.department, "needs_triage": False}
    if report.is_open:
        changes["due_at"] = due_date(report)
    if report.assigned_to_id and not category.department.staff.filter(pk=report.assigned_to_id).exists():
        changes["assigned_to"] = None
    text = _("Kategorie „%(from)s“ → „%(to)s“") % {"from": old_category.name, "to": category.name}
    if old_department.pk != category.department_id:
        text += "; " + _("weitergeleitet an %(department)s") % {"department": category.department.name}
    event = save_change(
        report,
        changes,
        EventKind.CATEGORY,
        by=by,
        internal_note="\n\n".join(part for part in (text, internal_note.strip()) if part),
        data={
            "from": old_category.pk,
            "from_name": old_category.name,
            "to": category.pk,
            "to_name": category.name,
            "from_department": old_department.pk,
            "to_department": category.department_id,
        },
    )
    _send_to_new_target(report)
    return event


def _send_to_new_target(report: Report) -> None:
    """After re-categorising: send to the new category's target if it differs from where it went last
    (queued; sent after the commit)."""
    from stadtdigital.reports.sending.routing import target_for
    from stadtdigital.reports.sending.services import current_dispatch, queue_send

    target = target_for(report)
    last = current_dispatch(report)
    if target is not None and (last is None or last.target_id != target.pk):
        queue_send(report, "category", target=target)


def within_city(lat: float, lon: float) -> bool:
    south, west, north, east = settings.CITY_BOUNDS
    return south <= lat <= north and west <= lon <= east


@transaction.atomic
def move_location(report: Report, lat: float, lon: float, address: str, by):
    require_change(by, report)
    if lat is None or lon is None or not all(math.isfinite(value) for value in (lat, lon)):
        raise WorkflowError(_("Bitte geben Sie Breiten- und Längengrad an."), "lat")
    if not within_city(lat, lon):
        raise WorkflowError(_("Der Ort liegt außerhalb des Stadtgebiets."), "lat")
    lock(report)
    old = {"lat": report.lat, "lon": report.lon, "address": report.address}
    new = {"lat": lat, "lon": lon, "address": address.strip()}
    return save_change(
        report,
        new,
        EventKind.LOCATION,
        by=by,
        internal_note=_("Ort korrigiert: %(address)s")
        % {"address": new["address"] or f"{lat:.5f}, {lon:.5f}"},
        data={"from": old, "to": new},
    )


@transaction.atomic
def release_from_triage(report: Report, by):
    lock_for_change(report, by)
    if not report.needs_triage:
        return None
    return save_change(
        report,
        {"needs_triage": False},
        EventKind.NOTE,
        by=by,
        internal_note=_("Aus der Eingangsprüfung freigegeben."),
        data={"action": "triage_released"},
    )


# --- citizen feedback after "erledigt" ---------------------------------------------------------------------


def feedback_token(report: Report, event) -> str:
    return signing.dumps([report.pk, event.pk], salt=FEEDBACK_SALT, compress=True)


def read_feedback_token(token: str) -> tuple[int, int]:
    """(report id, event id); raises signing.SignatureExpired or signing.BadSignature."""
    value = signing.loads(token, salt=FEEDBACK_SALT, max_age=datetime.timedelta(days=feedback_days()))
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, int) for part in value)):
        raise signing.BadSignature("malformed feedback token")
    return value[0], value[1]


def feedback_urls(report: Report, event) -> dict:
    path = reverse("reports:feedback", kwargs={"pk": report.pk, "token": feedback_token(report, event)})
    base = settings.SITE_URL + path
    return {"yes": base + "?antwort=ja", "no": base + "?antwort=nein", "page": base}


def feedback_is_current(report: Report, event_id: int) -> bool:
    """The link belongs to the report's latest state change, and that change was "erledigt"."""
    if report.state != State.FIXED:
        return False
    latest = report.events.filter(kind=EventKind.STATE).order_by("-created_at", "-id").first()
    return latest is not None and latest.pk == event_id


def feedback_already_given(report: Report, event_id: int) -> bool:
    return report.events.filter(kind=EventKind.FEEDBACK, data__event=event_id).exists()


@transaction.atomic
def citizen_feedback(report: Report, event_id: int, *, fixed: bool, comment: str = ""):
    """The reporter answers "behoben?". "nicht behoben" reopens the report to its department; the comment
    stays internal (it may contain personal data) and a neutral line is published instead."""
    lock(report)
    comment = comment.strip()
    if not feedback_is_current(report, event_id) or feedback_already_given(report, event_id):
        raise WorkflowError(_("Zu diesem Anliegen liegt bereits eine neuere Rückmeldung oder Änderung vor."))
    now = timezone.now()
    if fixed:
        return record_event(
            report,
            EventKind.FEEDBACK,
            public_text=CONFIRMED_FIXED_TEXT,
            internal_note=comment,
            is_public=True,
            data={"event": event_id, "fixed": True},
            at=now,
        )
    feedback = record_event(
        report,
        EventKind.FEEDBACK,
        internal_note=comment or _("(ohne Kommentar)"),
        is_public=False,
        data={"event": event_id, "fixed": False},
        at=now,
    )
    event = save_change(
        report,
        {"state": State.REOPENED, "is_open": True, "closed_at": None, "due_at": due_date(report, start=now)},
        EventKind.STATE,
        by=None,
        from_state=State.FIXED,
        to_state=State.REOPENED,
        public_text=REOPENED_BY_CITIZEN_TEXT,
        is_public=True,
        data={"feedback": feedback.pk},
        at=now,
    )
    notify_public_change(report, event, include_reporter=False)
    return event


# --- notifications ----------------------------------------------------------------------------------------


def _unsubscribe_url(subscription) -> str:
    try:
        return settings.SITE_URL + reverse("reports:unsubscribe", kwargs={"token": subscription.token})
    except NoReverseMatch:
        return ""


def notify_public_change(report: Report, event, *, include_reporter: bool = True) -> int:
    """Emails a public state change or answer to the reporter and the report's confirmed subscribers.

    One mail per recipient (addresses are never shown to each other). Only the reporter gets the
    "Ist das Problem behoben?" links. Returns the number of mails queued."""
    if not event.is_public:
        return 0
    report_url = settings.SITE_URL + report.get_absolute_url()
    context = {
        "report": report,
        "event": event,
        "state_label": State(report.state).label,
        "report_url": report_url,
        "is_answer": event.kind == EventKind.ANSWER,
    }
    if event.kind == EventKind.ANSWER:
        subject = _("Neue Antwort zu Ihrem Anliegen Nr. %(id)s") % {"id": report.pk}
    else:
        subject = _("Ihr Anliegen Nr. %(id)s: %(state)s") % {
            "id": report.pk,
            "state": State(report.state).label,
        }
    sent = 0
    reporter = report.reporter_email if include_reporter and not report.personal_data_purged_at else ""
    if reporter:
        extra = {}
        if event.kind == EventKind.STATE and event.to_state == State.FIXED:
            extra = {"feedback": feedback_urls(report, event), "feedback_days": feedback_days()}
        queue_mail(reporter, subject, "reports/email/status", {**context, **extra, "is_reporter": True})
        sent += 1
    if report.is_public:
        subscriptions = report.subscriptions.filter(confirmed_at__isnull=False)
        if report.reporter_email:
            subscriptions = subscriptions.exclude(email__iexact=report.reporter_email)
        for subscription in subscriptions:
            queue_mail(
                subscription.email,
                _("Neuigkeiten zum Anliegen Nr. %(id)s") % {"id": report.pk},
                "reports/email/status",
                {**context, "is_reporter": False, "unsubscribe_url": _unsubscribe_url(subscription)},
            )
            sent += 1
    return sent
