# ruff: noqa: F811  (pytest fixtures imported from assist_fixtures)
"""Category suggestions: trained on the final categories, stored in the database for every process, no
suggestion for categories with too little data, and a model survives a category added, renamed or
deactivated."""

import io

import pytest
from django.core.management import call_command

from stadtdigital.reports.assist import suggestions, training
from stadtdigital.reports.models import AssistModel, Category
from tests.reports.assist_fixtures import lighting, trained  # noqa: F401

pytestmark = pytest.mark.django_db


def first(text):
    found, _version = suggestions.suggest(text)
    return found[0].category if found else None


def test_model_is_stored_in_the_database_and_suggests(trained, lighting, other_category):
    assert AssistModel.objects.get(is_current=True).version == trained.version == 1
    assert set(trained.categories) == {str(c.pk) for c in Category.objects.all()}
    assert first("Die Laterne vor meinem Haus brennt seit Tagen nicht") == lighting
    assert first("schaukel am spielplatz kaputt, kinder spielen trotzdem") == other_category
    found, version = suggestions.suggest("Laterne flackert die ganze Nacht")
    assert version == 1 and len(found) <= 3 and all(s.probability >= 0.3 for s in found)


def test_a_process_loads_the_newest_model(trained, lighting):
    second = training.train_and_store(evaluate=False)
    training.forget_loaded_model()
    assert training.current_model().version == second.version == 2
    assert AssistModel.objects.filter(is_current=True).count() == 1


def test_no_suggestion_for_short_text_or_without_model(trained):
    assert suggestions.suggest("Loch")[0] == []
    AssistModel.objects.all().delete()
    training.forget_loaded_model()
    assert suggestions.suggest("Die Laterne vor meinem Haus brennt nicht") == ([], None)


def test_category_with_too_little_data_is_never_suggested(
    settings, make_report, trained, category_group, department
):
    graffiti = Category.objects.create(
        code="graffiti", name="Graffiti", group=category_group, department=department
    )
    for n in range(5):
        make_report(category=graffiti, description=f"Graffiti an der Wand der Schule Nr. {n}, Schmiererei")
    model = training.train_and_store(evaluate=False)
    training.forget_loaded_model()
    assert str(graffiti.pk) not in model.categories
    found, _ = suggestions.suggest("Graffiti Schmiererei an der Wand", min_confidence=0.0)
    assert graffiti not in [s.category for s in found]


def test_model_survives_rename_deactivation_and_new_category(trained, lighting, category_group, department):
    lighting.name = "Beleuchtung (Straße und Wege)"
    lighting.save()
    assert (
        first("Die Laterne vor meinem Haus brennt seit Tagen nicht").name == "Beleuchtung (Straße und Wege)"
    )
    Category.objects.create(code="neu", name="Neue Kategorie", group=category_group, department=department)
    assert first("Die Laterne vor meinem Haus brennt seit Tagen nicht") == lighting
    lighting.is_active = False
    lighting.save()
    found, _ = suggestions.suggest("Die Laterne vor meinem Haus brennt seit Tagen nicht", min_confidence=0.0)
    assert lighting not in [s.category for s in found]


def test_label_is_the_final_category_after_staff_recategorisation(trained, make_report, lighting, category):
    # The model learnt from reports whose category is the one staff left them in; a report re-categorised
    # to lighting counts as lighting (its Report.category), not as what the citizen picked.
    report = make_report(category=lighting, description="Lampe an der Ecke aus")
    rows = [row for batch in training.rows(training.training_reports(), {lighting.pk}) for row in batch]
    assert (report.pk, "Lampe an der Ecke aus", lighting.pk) in rows


def test_commands(trained):
    out = io.StringIO()
    call_command("reports", "train-assist", "--skip-evaluation", stdout=out, stderr=io.StringIO())
    assert "Modell v2 gespeichert" in out.getvalue()
    out = io.StringIO()
    call_command("reports", "evaluate-assist", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "Top-1-Treffer" in text and "Straßenbeleuchtung" in text and "Duplikaterkennung" in text
