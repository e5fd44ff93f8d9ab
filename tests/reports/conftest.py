import datetime

import pytest
from django.utils import timezone

from stadtdigital.reports.models import (
    OPEN_STATES,
    Category,
    CategoryGroup,
    Report,
    Source,
    State,
    Visibility,
)
from stadtdigital.reports.services.history import record_event


@pytest.fixture
def category_group(db):
    return CategoryGroup.objects.create(name="Straße und Verkehr", position=1)


@pytest.fixture
def category(category_group, department):
    return Category.objects.create(
        code="schlagloch",
        name="Straßenschäden und Schlaglöcher",
        group=category_group,
        department=department,
        duplicate_radius_m=50,
        target_days=10,
    )


@pytest.fixture
def other_category(category_group, other_department):
    return Category.objects.create(
        code="spielplatz",
        name="Spielplätze",
        group=category_group,
        department=other_department,
        target_days=14,
    )


@pytest.fixture
def make_report(category):
    """Stores a report directly (no intake checks), for tests of what happens to reports afterwards."""

    def make(
        *,
        category=category,
        state=State.RECEIVED,
        lat=49.142,
        lon=9.21,
        description="Tiefes Schlagloch vor Hausnummer 12",
        created_at=None,
        visibility=Visibility.PUBLIC,
        **fields,
    ):
        created_at = created_at or timezone.now() - datetime.timedelta(days=1)
        report = Report.objects.create(
            category=category,
            department=fields.pop("department", category.department),
            state=state,
            is_open=state in OPEN_STATES,
            visibility=visibility,
            description=description,
            lat=lat,
            lon=lon,
            created_at=created_at,
            updated_at=created_at,
            source=fields.pop("source", Source.WEB),
            **fields,
        )
        record_event(report, "created", to_state=State.RECEIVED, at=created_at)
        return report

    return make


@pytest.fixture(scope="session")
def second_instance():
    """A second stadtdigital (own process, own SQLite database) serving Open311 on a loopback port."""
    from tests.reports.second_instance import SecondInstance

    instance = SecondInstance()
    try:
        yield instance.start()
    finally:
        instance.stop()
