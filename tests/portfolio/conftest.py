import datetime
from decimal import Decimal

import pytest

from stadtdigital.portfolio import services
from stadtdigital.portfolio.models import FieldOfAction, Status


@pytest.fixture
def field_of_action(db):
    return FieldOfAction.objects.create(name="Schulen und Bildung", slug="schulen", position=1)


@pytest.fixture
def other_field_of_action(db):
    return FieldOfAction.objects.create(name="Breitband", slug="breitband", position=2)


@pytest.fixture
def make_project(field_of_action, department):
    """Creates projects through the service layer, so each has its first history entry."""

    def make(title="Tablets für Grundschulen", *, effective_date=datetime.date(2020, 1, 15), **fields):
        fields.setdefault("field_of_action", field_of_action)
        fields.setdefault("department", department)
        fields.setdefault("status", Status.PREPARATION)
        fields.setdefault("planned_budget", Decimal("150000.00"))
        return services.create_project(title=title, effective_date=effective_date, **fields)

    return make
