"""Answers to a category's extra questions ("Mastnummer", "Art des Defekts"), for every place that shows them.

One reader for all outputs: the case page and the department's mails get all answers, the public report
page, Open311 (`extensions=true`) and the open data only the answers to questions the city marked public
(`CategoryQuestion.is_public`). Choice answers are shown by their names, not their keys.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats

from stadtdigital.core.db import IdList
from stadtdigital.reports.models import AttributeValue, CategoryQuestion, QuestionType

LIST_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)


@dataclass(frozen=True)
class Answer:
    code: str
    label: str  # the question
    datatype: str
    value: object  # as stored: text, number, ISO date, or a list of choice keys
    choices: tuple[tuple[str, str], ...]  # (key, name) of the chosen options, for choice questions
    is_public: bool
    order: tuple[int, int] = (0, 0)  # the question's position and id

    @property
    def text(self) -> str:
        """The answer for people: choice names joined, numbers and dates in the current language."""
        if self.datatype in LIST_TYPES:
            return ", ".join(name for _key, name in self.choices)
        if isinstance(self.value, bool):
            return str(self.value)
        if isinstance(self.value, int | float):
            return formats.number_format(self.value, use_l10n=True)
        if self.datatype == QuestionType.DATETIME and isinstance(self.value, str):
            from django.utils.dateparse import parse_date, parse_datetime

            try:
                parsed = parse_datetime(self.value) or parse_date(self.value)
            except ValueError:
                parsed = None
            if parsed is not None:
                return formats.date_format(parsed, "SHORT_DATE_FORMAT")
        return str(self.value)


def _answer(question, value) -> Answer:
    choices: tuple[tuple[str, str], ...] = ()
    if question.datatype in LIST_TYPES:
        names = {
            str(choice.get("key")): choice.get("name") or choice.get("key") for choice in question.choices
        }
        keys = value if isinstance(value, list) else [value]
        choices = tuple((str(key), str(names.get(str(key), key))) for key in keys)
    return Answer(
        code=question.code,
        label=question.label,
        datatype=question.datatype,
        value=value,
        choices=choices,
        is_public=question.is_public,
        order=(question.position, question.pk),
    )


def answers_by_report(report_ids: Iterable[int], *, public_only: bool) -> dict[int, list[Answer]]:
    """{report id: answers in the order of the questions}; two queries, no model instances per answer (the
    open data export reads a million reports with it). Reports without answers are absent."""
    ids = list(report_ids)
    if not ids:
        return {}
    questions = CategoryQuestion.objects.all()
    if public_only:
        questions = questions.filter(is_public=True)
    by_id = {question.pk: question for question in questions}
    if not by_id:
        return {}
    rows = (
        AttributeValue.objects.filter(report_id__in=IdList(ids))
        .order_by("report_id", "question_id")
        .values_list("report_id", "question_id", "value")
    )
    result: dict[int, list[Answer]] = defaultdict(list)
    for report_id, question_id, value in rows:
        question = by_id.get(question_id)
        if question is None or value in (None, "", []):
            continue
        result[report_id].append(_answer(question, value))
    for answers in result.values():
        answers.sort(key=lambda answer: answer.order)
    return dict(result)


def report_answers(report, *, public_only: bool) -> list[Answer]:
    """The answers of one report: all of them for staff, only the public ones for everybody else."""
    report_id = getattr(report, "pk", report)
    return answers_by_report([report_id], public_only=public_only).get(report_id, [])
