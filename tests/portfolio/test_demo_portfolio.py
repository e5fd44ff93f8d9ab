"""The demo portfolio reproduces the article's figures as of 2021-06-30 and shows progress a year later."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from stadtdigital.core.models import SyntheticDataMarker
from stadtdigital.portfolio.demo import REPORT_2021_AS_OF, REPORT_2022_AS_OF, load_demo_portfolio
from stadtdigital.portfolio.demo.catalogue import SCHOOL_FIELD_SLUG
from stadtdigital.portfolio.models import FieldOfAction, Milestone, Project, ProjectVersion, Status
from stadtdigital.portfolio.selectors import states_as_of, status_counts
from stadtdigital.portfolio.services import VERSIONED_FIELDS


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loads the demo once for this module, inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            result = load_demo_portfolio(publish=False)
            yield result
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _cost_by_field(states, status=Status.IMPLEMENTATION):
    totals: dict[int, Decimal] = {}
    for state in states.values():
        if status is None or state.status == status:
            totals[state.field_of_action_id] = totals.get(state.field_of_action_id, Decimal(0)) + (
                state.planned_budget or Decimal(0)
            )
    return totals


def test_counts_as_of_2021_match_the_article(demo, db):
    counts = status_counts(states_as_of(REPORT_2021_AS_OF))
    assert sum(counts.values()) == 102
    assert counts[Status.COMPLETED] == 20
    assert counts[Status.IMPLEMENTATION] == 35
    assert counts[Status.PREPARATION] == 42
    assert counts[Status.IDEA] + counts[Status.PAUSED] + counts[Status.CANCELLED] == 5


def test_implementation_cost_is_13_5_million_mostly_schools(demo, db):
    by_field = _cost_by_field(states_as_of(REPORT_2021_AS_OF))
    total = sum(by_field.values())
    assert abs(total - Decimal("13500000")) <= Decimal("135000")
    assert total == Decimal("13500000.00")
    school = FieldOfAction.objects.get(slug=SCHOOL_FIELD_SLUG).pk
    assert max(by_field, key=by_field.get) == school
    assert by_field[school] > Decimal("5000000")


def test_schools_are_the_largest_field_by_every_budget_measure(demo, db):
    school = FieldOfAction.objects.get(slug=SCHOOL_FIELD_SLUG).pk
    for as_of in (REPORT_2021_AS_OF, REPORT_2022_AS_OF):
        states = states_as_of(as_of)
        for status in (Status.IMPLEMENTATION, None):
            by_field = _cost_by_field(states, status)
            assert max(by_field, key=by_field.get) == school, (as_of, status)


def test_fields_of_action_cover_the_articles_topics(demo, db):
    names = " ".join(FieldOfAction.objects.values_list("name", flat=True))
    for topic in (
        "Breitband",
        "Schulen",
        "Open Data",
        "E-Payment",
        "E-Akte",
        "Ratsinformationssystem",
        "KI im Stadtarchiv",
        "Mängelmelder",
        "Mobiles Arbeiten",
        "Videokonferenzen",
    ):
        assert topic in names


def test_every_project_is_synthetic_and_marked(demo, db):
    assert Project.objects.count() == demo.created == 110
    assert not Project.objects.filter(is_synthetic=False).exists()
    assert SyntheticDataMarker.objects.filter(dataset="portfolio").exists()


def test_a_year_later_the_report_shows_progress(demo, db):
    before = status_counts(states_as_of(REPORT_2021_AS_OF))
    after_states = states_as_of(REPORT_2022_AS_OF)
    after = status_counts(after_states)
    assert after[Status.COMPLETED] > before[Status.COMPLETED]
    assert len(after_states) > 102  # new projects since the first report
    changed_budgets = ProjectVersion.objects.filter(
        effective_date__gt=REPORT_2021_AS_OF, effective_date__lte=REPORT_2022_AS_OF, note__contains="Budget"
    )
    assert changed_budgets.exists()


def test_no_history_in_the_future(demo, db):
    today = timezone.localdate()
    assert not ProjectVersion.objects.filter(effective_date__gt=today).exists()
    assert not Milestone.objects.filter(done_on__gt=today).exists()
    assert ProjectVersion.objects.filter(effective_date__gt=REPORT_2022_AS_OF).exists()


def test_current_fields_equal_the_latest_version(demo, db):
    latest = {}
    for version in ProjectVersion.objects.order_by("project_id", "effective_date", "id"):
        latest[version.project_id] = version
    projects = list(Project.objects.all())
    assert len(latest) == len(projects)
    for project in projects:
        version = latest[project.pk]
        for name in VERSIONED_FIELDS:
            assert getattr(project, name) == getattr(version, name), (project.slug, name)


def test_history_starts_2019_and_projects_move_through_statuses(demo, db):
    first = ProjectVersion.objects.order_by("effective_date").first()
    assert first.effective_date >= datetime.date(2019, 1, 1)
    completed = Project.objects.filter(status=Status.COMPLETED).first()
    statuses = list(completed.versions.order_by("effective_date", "id").values_list("status", flat=True))
    assert statuses[0] in (Status.IDEA, Status.PREPARATION)
    assert Status.IMPLEMENTATION in statuses


def test_loading_twice_adds_nothing(demo, db):
    counts = (Project.objects.count(), ProjectVersion.objects.count(), Milestone.objects.count())
    again = load_demo_portfolio(publish=False)
    assert again.already_loaded and again.created == 0
    assert (Project.objects.count(), ProjectVersion.objects.count(), Milestone.objects.count()) == counts


def test_loading_is_deterministic(demo, db):
    """The same catalogue and seeds give the same history (compared by a fingerprint of all versions)."""
    rows = list(
        ProjectVersion.objects.order_by("project__slug", "effective_date", "id").values_list(
            "project__slug", "effective_date", "status", "planned_budget", "cost_to_date"
        )
    )
    with transaction.atomic():
        Project.objects.all().delete()
        SyntheticDataMarker.objects.all().delete()
        load_demo_portfolio(publish=False)
        again = list(
            ProjectVersion.objects.order_by("project__slug", "effective_date", "id").values_list(
                "project__slug", "effective_date", "status", "planned_budget", "cost_to_date"
            )
        )
        transaction.set_rollback(True)
    assert again == rows
