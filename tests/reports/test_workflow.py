"""The case work in services/workflow.py: the transition table, required details, duplicates, notifications,
routing, location, triage; every write re-checks permissions."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from stadtdigital.core import roles
from stadtdigital.reports.models import (
    CLOSED_STATES,
    OPEN_STATES,
    Category,
    Event,
    EventKind,
    Report,
    State,
    Subscription,
)
from stadtdigital.reports.services import workflow
from tests.conftest import make_user

EXTRAS = {
    State.CLOSED_NOT_FIXED: {"reason": "Privatgrundstück, die Stadt darf dort nicht tätig werden."},
    State.REJECTED: {"reason": "Kein Mangel erkennbar."},
    State.NOT_RESPONSIBLE: {"forwarded_to": "Regierungspräsidium"},
}


@pytest.fixture
def other_user(other_department):
    return make_user("fachbereich-y", roles.DEPARTMENT_STAFF, [other_department])


@pytest.fixture
def leitstelle_user(db):
    return make_user("leitstelle", roles.LEITSTELLE)


def snapshot(report):
    report = Report.objects.get(pk=report.pk)
    return (
        report.state,
        report.is_open,
        report.closed_at,
        report.category_id,
        report.department_id,
        report.assigned_to_id,
        report.description,
        report.lat,
        report.visibility,
        report.events.count(),
    )


def extras_for(to_state, make_report):
    if to_state == State.DUPLICATE:
        return {"duplicate_of": make_report(description="Original")}
    return dict(EXTRAS.get(to_state, {}))


ALL_PAIRS = [(a, b) for a in State.values for b in State.values]


@pytest.mark.parametrize(("from_state", "to_state"), ALL_PAIRS)
def test_transition_table(from_state, to_state, make_report, department_user):
    report = make_report(state=from_state, closed_at=None if from_state in OPEN_STATES else timezone.now())
    extras = extras_for(to_state, make_report)
    allowed = to_state in workflow.TRANSITIONS[from_state]
    # The table itself: closed states only reopen; open states never go back to "eingegangen".
    assert allowed == (
        (from_state in CLOSED_STATES and to_state == State.REOPENED)
        or (from_state in OPEN_STATES and to_state not in (State.RECEIVED, State.REOPENED, from_state))
    )
    before = snapshot(report)
    if not allowed:
        with pytest.raises(workflow.WorkflowError):
            workflow.change_state(report, to_state, user=department_user, **extras)
        assert snapshot(report) == before
        return
    event = workflow.change_state(report, to_state, user=department_user, **extras)
    report.refresh_from_db()
    assert report.state == to_state
    assert report.is_open == (to_state in OPEN_STATES)
    assert (report.closed_at is not None) == (to_state in CLOSED_STATES)
    assert event.kind == EventKind.STATE and event.is_public
    assert (event.from_state, event.to_state, event.actor) == (from_state, to_state, department_user)


@pytest.mark.parametrize(
    ("to_state", "missing_field"),
    [
        (State.CLOSED_NOT_FIXED, "reason"),
        (State.REJECTED, "reason"),
        (State.NOT_RESPONSIBLE, "forwarded_to"),
        (State.DUPLICATE, "duplicate_of"),
    ],
)
def test_required_details(to_state, missing_field, make_report, department_user):
    report = make_report()
    before = snapshot(report)
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.change_state(report, to_state, user=department_user, reason="  ", forwarded_to=" ")
    assert error.value.field == missing_field
    assert snapshot(report) == before


def test_reason_is_public_and_closing_sets_closed_at(make_report, department_user):
    report = make_report()
    event = workflow.change_state(
        report,
        State.CLOSED_NOT_FIXED,
        user=department_user,
        reason="Der Baum steht auf Privatgrund.",
        public_text="Bitte wenden Sie sich an den Eigentümer.",
        internal_note="Eigentümer ist Herr M.",
    )
    assert "Der Baum steht auf Privatgrund." in event.public_text
    assert "Eigentümer ist Herr M." not in event.public_text
    assert event.internal_note == "Eigentümer ist Herr M."
    report.refresh_from_db()
    assert report.closed_at is not None and not report.is_open

    workflow.change_state(report, State.REOPENED, user=department_user)
    report.refresh_from_db()
    assert report.closed_at is None and report.is_open
    assert report.due_at > timezone.now() + datetime.timedelta(days=9)


def test_not_responsible_records_body_and_uses_forwarding_backend(make_report, department_user):
    report = make_report(reporter_email="anna@example.org")
    event = workflow.change_state(
        report, State.NOT_RESPONSIBLE, user=department_user, forwarded_to="Landratsamt"
    )
    report.refresh_from_db()
    assert report.forwarded_to == "Landratsamt"
    assert "Landratsamt" in event.public_text
    assert "vermerkt" in event.internal_note  # record-only backend by default


@override_settings(
    REPORT_FORWARDING_BACKEND="stadtdigital.reports.forwarding.EmailBackend",
    REPORT_FORWARDING_EMAILS={"Landratsamt": "poststelle@landratsamt.example"},
)
def test_forwarding_by_email_sends_no_personal_data(
    make_report, department_user, django_capture_on_commit_callbacks
):
    report = make_report(reporter_email="anna@example.org", reporter_phone="0151 2345678")
    with django_capture_on_commit_callbacks(execute=True):  # forwarding is sent after the commit
        workflow.change_state(report, State.NOT_RESPONSIBLE, user=department_user, forwarded_to="Landratsamt")
    forwarded = [m for m in mail.outbox if m.to == ["poststelle@landratsamt.example"]]
    assert len(forwarded) == 1
    assert "anna@example.org" not in forwarded[0].body and "0151" not in forwarded[0].body
    assert f"Nr. {report.pk}" in forwarded[0].subject


def test_duplicate_merges_supporters_and_subscriptions(make_report, department_user):
    original = make_report(description="Original", supporters_count=2)
    duplicate = make_report(description="Doppelt", supporters_count=3, reporter_email="rita@example.org")
    now = timezone.now()
    Subscription.objects.create(report=original, email="both@example.org", confirmed_at=now)
    Subscription.objects.create(report=duplicate, email="both@example.org", confirmed_at=now)  # unique clash
    Subscription.objects.create(report=duplicate, email="only-dup@example.org", confirmed_at=now)
    earlier = make_report(description="noch früheres Duplikat", state=State.DUPLICATE, duplicate_of=duplicate)

    workflow.change_state(duplicate, State.DUPLICATE, user=department_user, duplicate_of=original)

    original.refresh_from_db()
    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.state == State.DUPLICATE
    assert original.supporters_count == 2 + 3 + 1  # the duplicate's supporters and its reporter
    assert sorted(original.subscriptions.values_list("email", flat=True)) == [
        "both@example.org",
        "only-dup@example.org",
        "rita@example.org",
    ]
    assert not duplicate.subscriptions.exists()
    assert earlier.duplicate_of == original  # no chains
    assert original.events.filter(kind=EventKind.SUPPORT).exists()


def test_duplicate_of_closed_original_is_allowed(make_report, department_user):
    original = make_report(state=State.FIXED, closed_at=timezone.now())
    report = make_report()
    workflow.change_state(report, State.DUPLICATE, user=department_user, duplicate_of=original)
    assert Report.objects.get(pk=report.pk).duplicate_of_id == original.pk


def test_duplicate_rejects_itself_and_chains(make_report, department_user):
    report = make_report()
    with pytest.raises(workflow.WorkflowError, match="sich selbst"):
        workflow.change_state(report, State.DUPLICATE, user=department_user, duplicate_of=report)
    original = make_report()
    chained = make_report(state=State.DUPLICATE, duplicate_of=original)
    with pytest.raises(workflow.WorkflowError, match="selbst ein Duplikat"):
        workflow.change_state(report, State.DUPLICATE, user=department_user, duplicate_of=chained)
    assert Report.objects.get(pk=report.pk).state == State.RECEIVED


def test_duplicate_of_invisible_report_is_refused(make_report, department_user, other_category):
    foreign = make_report(category=other_category)
    report = make_report()
    with pytest.raises(workflow.WorkflowError):
        workflow.change_state(report, State.DUPLICATE, user=department_user, duplicate_of=foreign)
    assert Report.objects.get(pk=foreign.pk).supporters_count == 0


def test_other_department_changes_nothing(make_report, other_user):
    report = make_report()
    before = snapshot(report)
    calls = [
        lambda: workflow.change_state(report, State.IN_PROGRESS, user=other_user),
        lambda: workflow.answer(report, "Hallo", other_user),
        lambda: workflow.add_note(report, "intern", other_user),
        lambda: workflow.assign(report, other_user, other_user),
        lambda: workflow.change_category(
            report, Category.objects.exclude(pk=report.category_id).first(), other_user
        ),
        lambda: workflow.move_location(report, 49.15, 9.2, "Marktplatz", other_user),
        lambda: workflow.release_from_triage(report, other_user),
    ]
    for call in calls:
        with pytest.raises(workflow.NotAllowed):
            call()
    assert snapshot(report) == before


def test_leitstelle_and_read_only(make_report, leitstelle_user):
    report = make_report()
    workflow.change_state(report, State.IN_REVIEW, user=leitstelle_user)
    reader = make_user("lesend", roles.READ_ONLY)
    with pytest.raises(workflow.NotAllowed):
        workflow.change_state(report, State.IN_PROGRESS, user=reader)


def test_state_change_emails_reporter_and_confirmed_subscribers(make_report, department_user):
    report = make_report(reporter_email="anna@example.org")
    Subscription.objects.create(report=report, email="fan@example.org", confirmed_at=timezone.now())
    Subscription.objects.create(report=report, email="unconfirmed@example.org")
    mail.outbox.clear()
    workflow.change_state(report, State.IN_PROGRESS, user=department_user, public_text="Wir kümmern uns.")
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "fan@example.org"]
    assert all("in Bearbeitung" in m.body and "Wir kümmern uns." in m.body for m in mail.outbox)
    assert all(len(m.to) == 1 for m in mail.outbox)
    to_fan = next(m for m in mail.outbox if m.to == ["fan@example.org"])
    assert "/abbestellen/" in to_fan.body


def test_fixed_email_asks_whether_it_is_fixed_only_the_reporter(make_report, department_user):
    report = make_report(reporter_email="anna@example.org")
    Subscription.objects.create(report=report, email="fan@example.org", confirmed_at=timezone.now())
    mail.outbox.clear()
    workflow.change_state(report, State.FIXED, user=department_user)
    to_reporter = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    to_fan = next(m for m in mail.outbox if m.to == ["fan@example.org"])
    assert "Ist das Problem behoben?" in to_reporter.body
    assert "/rueckmeldung/" in to_reporter.body and "antwort=nein" in to_reporter.body
    assert "/rueckmeldung/" not in to_fan.body


def test_no_mail_to_purged_reporter_and_no_mail_for_notes(make_report, department_user):
    report = make_report(reporter_email="anna@example.org", personal_data_purged_at=timezone.now())
    mail.outbox.clear()
    workflow.change_state(report, State.IN_PROGRESS, user=department_user)
    assert mail.outbox == []
    report = make_report(reporter_email="bob@example.org")
    workflow.add_note(report, "nur intern", department_user)
    assert mail.outbox == []
    note = Event.objects.get(report=report, kind=EventKind.NOTE)
    assert not note.is_public and note.public_text == ""


def test_answer_is_public_and_emailed(make_report, department_user):
    report = make_report(reporter_email="anna@example.org")
    mail.outbox.clear()
    event = workflow.answer(report, "Der Bauhof kommt am Montag.", department_user)
    assert event.is_public and event.kind == EventKind.ANSWER
    assert len(mail.outbox) == 1 and "Der Bauhof kommt am Montag." in mail.outbox[0].body
    with pytest.raises(workflow.WorkflowError):
        workflow.answer(report, "   ", department_user)


def test_assign_only_to_department_staff(make_report, department_user, other_user):
    report = make_report()
    with pytest.raises(workflow.WorkflowError):
        workflow.assign(report, other_user, department_user)
    event = workflow.assign(report, department_user, department_user)
    assert event.kind == EventKind.ASSIGNMENT and not event.is_public
    assert Report.objects.get(pk=report.pk).assigned_to == department_user
    assert workflow.assign(report, department_user, department_user) is None  # unchanged, no event
    workflow.assign(report, None, department_user)
    assert Report.objects.get(pk=report.pk).assigned_to is None


def test_change_category_reroutes_and_recomputes_due_date(
    make_report, department_user, other_category, other_user
):
    report = make_report(needs_triage=True, assigned_to=department_user)
    event = workflow.change_category(report, other_category, department_user)
    report.refresh_from_db()
    assert report.department == other_category.department
    assert report.due_at == report.created_at + datetime.timedelta(days=other_category.target_days)
    assert not report.needs_triage and report.assigned_to is None
    assert event.kind == EventKind.CATEGORY and not event.is_public
    assert (
        event.data["from_name"] == "Straßenschäden und Schlaglöcher"
        and event.data["to_name"] == "Spielplätze"
    )
    # Now it belongs to department Y: X can no longer change it, Y can.
    with pytest.raises(workflow.NotAllowed):
        workflow.add_note(report, "x", department_user)
    workflow.add_note(report, "angekommen", other_user)


def test_move_location_within_city_bounds(make_report, department_user):
    report = make_report()
    before = snapshot(report)
    with pytest.raises(workflow.WorkflowError):
        workflow.move_location(report, 52.52, 13.40, "Berlin", department_user)
    assert snapshot(report) == before
    event = workflow.move_location(report, 49.15, 9.20, "Marktplatz 1", department_user)
    report.refresh_from_db()
    assert (report.lat, report.lon, report.address) == (49.15, 9.20, "Marktplatz 1")
    assert event.data["from"]["lat"] == 49.142


def test_release_from_triage(make_report, department_user):
    report = make_report(needs_triage=True)
    assert workflow.release_from_triage(report, department_user) is not None
    assert not Report.objects.get(pk=report.pk).needs_triage
    assert workflow.release_from_triage(report, department_user) is None
