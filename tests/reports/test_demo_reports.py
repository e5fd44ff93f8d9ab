"""The demo reports: 5,000, idempotent, inside the city, a realistic mix, consistent histories."""

from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.utils import timezone

from stadtdigital.core.models import SyntheticDataMarker
from stadtdigital.reports.demo import load_demo_reports
from stadtdigital.reports.demo.catalogue import CATEGORIES
from stadtdigital.reports.models import (
    CLOSED_STATES,
    OPEN_STATES,
    AnswerTemplate,
    Category,
    CategoryQuestion,
    Event,
    EventKind,
    Report,
    Source,
    State,
    Subscription,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for the module (outside the tests' transactions), so removed completely afterwards."""
    from django.contrib.auth import get_user_model

    from stadtdigital.core.models import Department
    from stadtdigital.reports.models import AreaAlert, CategoryGroup

    with django_db_blocker.unblock():
        departments = set(Department.objects.values_list("pk", flat=True))
        users = set(get_user_model().objects.values_list("pk", flat=True))
        started = timezone.now()
        result = load_demo_reports()
        result.started_at = started  # the load's own purge measured its deadline from a moment after this
        yield result
        Report.objects.all().delete()
        AreaAlert.objects.all().delete()
        AnswerTemplate.objects.all().delete()
        Category.objects.all().delete()
        CategoryGroup.objects.all().delete()
        get_user_model().objects.exclude(pk__in=users).delete()
        Department.objects.exclude(pk__in=departments).delete()
        SyntheticDataMarker.objects.filter(dataset="reports").delete()


@pytest.mark.django_db
def test_load_twice_no_duplicates(demo):
    assert demo.created == 5000
    counts = (Report.objects.count(), Event.objects.count(), Category.objects.count())
    again = load_demo_reports()
    assert again.already_loaded
    assert (Report.objects.count(), Event.objects.count(), Category.objects.count()) == counts
    assert counts[0] == 5000


@pytest.mark.django_db
def test_catalogue(demo):
    assert set(Category.objects.values_list("name", flat=True)) == {c.name for c in CATEGORIES}
    assert Category.objects.get(code="sonstiges").needs_triage
    assert "110" in Category.objects.get(code="strassenbeleuchtung").emergency_notice
    assert "112" in Category.objects.get(code="kanal").emergency_notice
    assert Category.objects.get(code="wilder-muell").duplicate_radius_m > 50
    kinds = dict(CategoryQuestion.objects.values_list("code", "datatype"))
    assert kinds["defekt"] == "singlevaluelist" and kinds["art"] == "multivaluelist"
    assert AnswerTemplate.objects.filter(category=None).count() >= 8
    assert Category.objects.get(code="schlagloch").department.slug == "tiefbauamt"


@pytest.mark.django_db
def test_reports_inside_city_with_mix_of_states(demo):
    south, west, north, east = settings.CITY_BOUNDS
    assert not Report.objects.exclude(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east).exists()
    assert set(Report.objects.values_list("source", flat=True)) == {Source.DEMO}
    states = Counter(Report.objects.values_list("state", flat=True))
    assert set(states) >= {State.FIXED, State.IN_PROGRESS, State.DUPLICATE, State.NOT_RESPONSIBLE}
    # about two weeks of reports are open (issue 9: no backlog of months; see the working-department test)
    assert 0.02 < sum(states[s] for s in OPEN_STATES) / 5000 < 0.3
    assert states[State.FIXED] > 2500
    # some open reports are overdue
    from django.utils import timezone

    assert Report.objects.filter(is_open=True, due_at__lt=timezone.now()).count() > 20
    # is_open always matches the state; closed reports have a closing time
    for state, is_open in Report.objects.values_list("state", "is_open").distinct():
        assert is_open == (state in OPEN_STATES)
    assert not Report.objects.filter(is_open=False, closed_at=None).exists()
    assert not Report.objects.filter(is_open=True).exclude(closed_at=None).exists()
    assert not Report.objects.filter(state=State.DUPLICATE, duplicate_of=None).exists()
    assert not Report.objects.filter(state=State.NOT_RESPONSIBLE, forwarded_to="").exists()


@pytest.mark.django_db
def test_open_reports_look_like_a_working_department(demo):
    """Mostly recent, a handful overdue, none left open for a year (the Tiefbauamt's queue once showed
    "715 Tage überfällig" in 196 of 238 rows)."""
    import datetime

    from django.utils import timezone

    now = timezone.now()
    tiefbau = Report.objects.filter(is_open=True, department__slug="tiefbauamt").exclude(visibility="pending")
    total = tiefbau.count()
    overdue = tiefbau.filter(due_at__lt=now).count()
    recent = tiefbau.filter(created_at__gte=now - datetime.timedelta(days=60)).count()
    # A handful: at most a third of the open reports (the share moves with the time of day and with the
    # demo's random texts and misfilings; 25 % was too tight a margin for that, 80 % was the old backlog).
    assert total > 20 and 0 < overdue <= total / 3, (total, overdue)
    assert recent >= total * 0.75, (total, recent)
    assert not Report.objects.filter(is_open=True, created_at__lt=now - datetime.timedelta(days=180)).exists()
    assert tiefbau.filter(state=State.RECEIVED).exists()  # new reports wait under "Neu"


@pytest.mark.django_db
def test_every_report_has_consistent_history(demo):
    events = defaultdict(list)
    for e in Event.objects.order_by("created_at", "id").values(
        "report_id", "kind", "from_state", "to_state", "created_at"
    ):
        events[e["report_id"]].append(e)
    for report in Report.objects.only("id", "state", "created_at", "closed_at", "updated_at"):
        history = events[report.pk]
        assert history[0]["kind"] == EventKind.CREATED, report.pk
        assert history[0]["created_at"] == report.created_at
        state = State.RECEIVED
        closed_at = None
        for e in history[1:]:
            if e["kind"] == EventKind.STATE:
                assert e["from_state"] == state, report.pk
                state = e["to_state"]
                closed_at = e["created_at"] if state in CLOSED_STATES else None
        assert state == report.state, report.pk
        assert closed_at == report.closed_at
        assert report.updated_at == history[-1]["created_at"]


@pytest.mark.django_db
def test_personal_data_synthetic_and_purged_after_deadline(demo):
    import datetime

    emails = set(Report.objects.exclude(reporter_email="").values_list("reporter_email", flat=True))
    emails |= set(Subscription.objects.values_list("email", flat=True))
    assert emails and all(e.endswith("@example.org") for e in emails)
    phones = set(Report.objects.exclude(reporter_phone="").values_list("reporter_phone", flat=True))
    assert phones and all(p.startswith("+49 7131 555") for p in phones)
    # From the load's start, not from now: this module's other tests take minutes under load, and a report
    # that crosses the deadline meanwhile is the next daily purge's work, not the load's.
    cutoff = demo.started_at - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    old = Report.objects.filter(is_open=False, closed_at__lt=cutoff)
    assert old.exists() and not old.exclude(reporter_email="", reporter_name="", reporter_phone="").exists()
    assert Report.objects.filter(show_name=True).exclude(reporter_name="").exists()
