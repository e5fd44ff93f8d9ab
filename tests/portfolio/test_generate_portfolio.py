"""Bulk generation for benchmarks keeps the service layer's history invariants."""

from django.utils import timezone

from stadtdigital.core.models import SyntheticDataMarker
from stadtdigital.portfolio.demo import HISTORY_END, generate_portfolio
from stadtdigital.portfolio.models import Project, ProjectVersion
from stadtdigital.portfolio.selectors import states_as_of
from stadtdigital.portfolio.services import VERSIONED_FIELDS


def test_generates_projects_with_whole_history(db):
    calls = []
    assert generate_portfolio(1500, seed=3, progress=lambda done, total: calls.append((done, total))) == 1500
    assert Project.objects.count() == 1500
    assert calls[-1] == (1500, 1500) and len(calls) == 2
    assert not Project.objects.filter(is_synthetic=False).exists()
    assert SyntheticDataMarker.objects.filter(dataset="generated").exists()

    latest = {}
    for version in ProjectVersion.objects.order_by("project_id", "effective_date", "id"):
        latest[version.project_id] = version
    for project in Project.objects.all():
        version = latest[project.pk]  # every project has a history
        for name in VERSIONED_FIELDS:
            assert getattr(project, name) == getattr(version, name), (project.slug, name)
    assert not ProjectVersion.objects.filter(
        effective_date__gt=min(HISTORY_END, timezone.localdate())
    ).exists()
    assert len(states_as_of(HISTORY_END)) == 1500


def test_generating_again_adds_more_without_clashes(db):
    generate_portfolio(10, seed=1)
    generate_portfolio(10, seed=1)
    assert Project.objects.count() == 20
    assert Project.objects.values("slug").distinct().count() == 20


def test_same_seed_gives_same_portfolio(db):
    generate_portfolio(50, seed=7)
    first = list(Project.objects.order_by("slug").values_list("title", "status", "planned_budget"))
    Project.objects.all().delete()
    generate_portfolio(50, seed=7)
    assert list(Project.objects.order_by("slug").values_list("title", "status", "planned_budget")) == first
