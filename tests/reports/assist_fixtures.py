"""A trained suggestion model on three categories with realistic demo texts (shared by the assist tests)."""

import datetime
import random

import pytest
from django.utils import timezone

from stadtdigital.reports.assist import training
from stadtdigital.reports.demo import texts
from stadtdigital.reports.models import Category


@pytest.fixture
def lighting(category_group, department):
    return Category.objects.create(
        code="strassenbeleuchtung", name="Straßenbeleuchtung", group=category_group, department=department
    )


@pytest.fixture
def trained(settings, make_report, category, other_category, lighting):
    settings.ASSIST_MIN_REPORTS_PER_CATEGORY = 20
    settings.ASSIST_MIN_CONFIDENCE = 0.3
    rng = random.Random(1)
    now = timezone.now()
    for n in range(60):
        for cat in (category, other_category, lighting):
            make_report(
                category=cat,
                description=texts.description(rng, cat.code, "Hauptstraße 3"),
                created_at=now - datetime.timedelta(days=200 - n),
            )
    training.forget_loaded_model()
    model = training.train_and_store(evaluate=False)
    training.forget_loaded_model()
    yield model
    training.forget_loaded_model()
