"""Category suggestions for a text, from the current model; never applied by themselves.

The model knows categories by id, so a renamed category keeps its suggestions (under its new name); a
deactivated one is never suggested; a new one is suggested once a model has been trained with enough of its
reports. Without a model (or with too short a text) there are no suggestions.
"""

from dataclasses import dataclass

from django.conf import settings

from stadtdigital.reports.assist.training import current_model
from stadtdigital.reports.models import Category

MIN_TEXT_LENGTH = 8
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    category: Category
    probability: float

    @property
    def percent(self) -> int:
        return round(self.probability * 100)


def suggest(
    text: str, *, limit: int = MAX_SUGGESTIONS, min_confidence: float | None = None, model=None
) -> tuple[list[Suggestion], int | None]:
    """Up to `limit` active categories at or above the confidence threshold, and the model version."""
    text = (text or "").strip()
    model = model or current_model()
    if model is None or len(text) < MIN_TEXT_LENGTH:
        return [], None
    threshold = settings.ASSIST_MIN_CONFIDENCE if min_confidence is None else min_confidence
    ranked = [(pk, p) for pk, p in model.classifier.ranked(text[:5000]) if p >= threshold]
    if not ranked:
        return [], model.version
    active = {c.pk: c for c in Category.objects.filter(pk__in=[pk for pk, _ in ranked], is_active=True)}
    suggestions = [Suggestion(active[pk], p) for pk, p in ranked if pk in active]
    return suggestions[:limit], model.version


def staff_suggestion(report, *, model=None) -> Suggestion | None:
    """The model's first choice for a report when it differs from the report's category, else None."""
    text = " ".join(
        [
            report.description,
            *(v for v in report.attribute_values.values_list("value", flat=True) if isinstance(v, str)),
        ]
    )
    suggestions, _version = suggest(
        text, limit=1, min_confidence=settings.ASSIST_STAFF_MIN_CONFIDENCE, model=model
    )
    if suggestions and suggestions[0].category.pk != report.category_id:
        return suggestions[0]
    return None
