"""Writes of the category catalogue (groups, categories, extra questions) from the back office.

Plain functions, one transaction per save: a category is stored together with all changes to its
questions, or not at all. Who may call them is decided in views/categories.py (`can_manage_categories`).

Stored data is never lost through these functions:
- a category with reports cannot be deleted (Report.category is PROTECT): it is deactivated instead, which
  hides it from the citizen form while its reports stay as they are;
- a question with stored answers cannot be deleted (AttributeValue.question is PROTECT, and the model has no
  active flag): `QuestionInUse` says which one.
"""

from django.db import transaction
from django.db.models import Count, ProtectedError
from django.utils import timezone

from stadtdigital.reports.models import AttributeValue, Category, CategoryGroup, CategoryQuestion, Report


class CategoryInUse(Exception):
    """The category has reports; it can only be deactivated."""

    def __init__(self, category: Category):
        super().__init__(category.code)
        self.category = category


class QuestionInUse(Exception):
    """The question has stored answers; it cannot be deleted."""

    def __init__(self, question: CategoryQuestion):
        super().__init__(question.code)
        self.question = question


# --- reads used by forms and views ------------------------------------------------------------------------


def report_counts() -> dict[int, int]:
    """{category id: number of reports}; one grouped query over the (category, ...) index."""
    rows = Report.objects.order_by().values_list("category").annotate(n=Count("id"))
    return dict(rows)


def question_counts() -> dict[int, int]:
    rows = CategoryQuestion.objects.order_by().values_list("category").annotate(n=Count("id"))
    return dict(rows)


def answer_counts(question_ids) -> dict[int, int]:
    """{question id: number of stored answers} for the given questions (missing: none)."""
    ids = [pk for pk in question_ids if pk]
    if not ids:
        return {}
    rows = (
        AttributeValue.objects.filter(question_id__in=ids)
        .order_by()
        .values_list("question")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def used_choice_keys(question: CategoryQuestion) -> set[str]:
    """The choice keys that stored answers of `question` use (a str or a list of str each)."""
    keys: set[str] = set()
    for value in AttributeValue.objects.filter(question=question).values_list("value", flat=True).iterator():
        if isinstance(value, list):
            keys.update(str(item) for item in value)
        elif value not in (None, ""):
            keys.add(str(value))
    return keys


# --- writes -----------------------------------------------------------------------------------------------


def save_group(group: CategoryGroup | None, *, fields: dict) -> CategoryGroup:
    with transaction.atomic():
        group = group if group is not None else CategoryGroup()
        for name, value in fields.items():
            setattr(group, name, value)
        group.save()
    return group


def save_category(category: Category | None, *, fields: dict, questions) -> Category:
    """Creates or updates a category and applies the validated inline formset `questions`, all or nothing.

    Changing the department or the target days changes what happens to *new* reports only: existing
    reports keep their department and due date (staff re-route single reports in the queue).
    """
    with transaction.atomic():
        category = category if category is not None else Category()
        for name, value in fields.items():
            setattr(category, name, value)
        category.save()
        questions.instance = category
        changed = questions.save(commit=False)
        # Deletions first, so that a new question may take over the code of a removed one.
        for question in questions.deleted_objects:
            if AttributeValue.objects.filter(question=question).exists():
                raise QuestionInUse(question)
            try:
                question.delete()
            except ProtectedError as exc:  # an answer arrived in the meantime
                raise QuestionInUse(question) from exc
        for question in changed:
            question.category = category
            question.save()
    return category


def set_active(category: Category, active: bool) -> Category:
    """Deactivated categories disappear from the citizen form, the area alerts and the back office's
    "change category" choice; their reports stay and can still be worked on and filtered by."""
    with transaction.atomic():
        Category.objects.filter(pk=category.pk).update(is_active=active, updated_at=timezone.now())
        category.is_active = active
    return category


def delete_category(category: Category) -> None:
    """Deletes a category without reports (with its questions, answer templates and area alerts)."""
    with transaction.atomic():
        if Report.objects.filter(category=category).exists():
            raise CategoryInUse(category)
        try:
            category.delete()
        except ProtectedError as exc:
            raise CategoryInUse(category) from exc
