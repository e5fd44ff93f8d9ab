"""`stadtdigital reports evaluate-assist`: how good the suggestions are on this installation's own reports.

Time-based split: a model is trained on the older reports (default 80 %) and tested on the newer ones, as it
would be used. Figures: top-1 and top-3 accuracy, precision and recall per category, and of the test reports
that staff re-categorised (the citizen's mistakes), the share the suggestions shown to the citizen would
have caught. Plus precision and recall of the duplicate detection against the reports merged as duplicates.
"""

from dataclasses import asdict, dataclass, field

import numpy as np
from django.conf import settings
from django.utils import timezone
from sklearn.metrics import precision_recall_fscore_support

from stadtdigital.reports.assist import duplicates
from stadtdigital.reports.assist.classifier import Classifier
from stadtdigital.reports.assist.training import rows, training_reports, training_set
from stadtdigital.reports.models import Category, Event, EventKind


@dataclass
class Evaluation:
    evaluated_at: str = ""
    split_at: str = ""
    train_reports: int = 0
    test_reports: int = 0
    top1: float | None = None
    top3: float | None = None
    per_category: list[dict] = field(default_factory=list)
    citizen_mistakes: int = 0
    caught_by_suggestions: float | None = None  # final category among the (up to 3) suggestions shown
    caught_by_first: float | None = None  # final category is the first suggestion
    duplicates: dict = field(default_factory=dict)
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _percent(value) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def lines(result: dict) -> list[str]:
    """The figures as text (the command prints them; the back office shows the same dict)."""
    if result.get("note"):
        return [result["note"]]
    out = [
        f"Aufteilung nach Zeit: trainiert auf {result['train_reports']} Anliegen vor "
        f"{result['split_at'][:10]}, getestet auf {result['test_reports']} neueren.",
        f"Top-1-Treffer: {_percent(result['top1'])}   Top-3-Treffer: {_percent(result['top3'])}",
        "Kategorie                                   Präzision  Recall  Testfälle",
    ]
    for row in result["per_category"]:
        out.append(
            f"  {row['name'][:40]:<40}  {_percent(row['precision']):>9}  {_percent(row['recall']):>6}  "
            f"{row['support']:>9}"
        )
    out.append(
        f"Fehlkategorisierungen der Bürger (von der Verwaltung korrigiert): {result['citizen_mistakes']}; "
        f"von den Vorschlägen erkannt: {_percent(result['caught_by_suggestions'])} "
        f"(als erster Vorschlag: {_percent(result['caught_by_first'])})"
    )
    dup = result.get("duplicates") or {}
    if dup:
        out.append(
            f"Duplikaterkennung (Schwelle {dup['min_score']:.2f}): Präzision {_percent(dup['precision'])} "
            f"({dup['pairs_correct']} von {dup['pairs_flagged']} Paaren), Recall {_percent(dup['recall'])} "
            f"({dup['duplicates_found']} von {dup['duplicates']} zusammengeführten Duplikaten)"
        )
    return out


def _citizen_choices(report_ids: list[int]) -> dict[int, int]:
    """Report id -> the category the citizen chose, for reports staff re-categorised (first change)."""
    chosen: dict[int, int] = {}
    for chunk in range(0, len(report_ids), 5000):
        events = (
            Event.objects.filter(kind=EventKind.CATEGORY, report_id__in=report_ids[chunk : chunk + 5000])
            .order_by("created_at", "id")
            .values_list("report_id", "data")
        )
        for report_id, data in events:
            if report_id not in chosen and isinstance(data, dict) and data.get("from"):
                chosen[report_id] = int(data["from"])
    return chosen


def evaluate(test_share: float = 0.2, progress=None, *, with_duplicates: bool = True) -> Evaluation:
    result = Evaluation(evaluated_at=timezone.now().isoformat())
    reports = training_reports()
    total = reports.count()
    if total < 50:
        result.note = f"Zu wenige Anliegen für eine Auswertung ({total})."
        return result
    split_at = reports.order_by("created_at", "pk").values_list("created_at", flat=True)[
        int(total * (1 - test_share))
    ]
    result.split_at = split_at.isoformat()
    data = training_set(until=split_at)
    if len(data.categories) < 2:
        result.note = "Zu wenige Anliegen je Kategorie vor dem Stichtag für ein Modell."
        return result
    classifier = Classifier().fit(data.chunks, progress)
    result.train_reports = sum(data.categories.values())
    test = training_reports(since=split_at)
    ids, truth, top1, top3 = [], [], [], []
    shown: list[list[int]] = []
    for batch in rows(test, set(data.categories)):
        probabilities = classifier.probabilities([text for _pk, text, _c in batch])
        order = np.argsort(-probabilities, axis=1)[:, :3]
        for (pk, _text, category), ranking, row in zip(batch, order, probabilities, strict=True):
            ranked = [classifier.classes[i] for i in ranking]
            ids.append(pk)
            truth.append(category)
            top1.append(ranked[0])
            top3.append(category in ranked)
            shown.append([classifier.classes[i] for i in ranking if row[i] >= settings.ASSIST_MIN_CONFIDENCE])
    result.test_reports = len(ids)
    if ids:
        result.top1 = float(np.mean(np.asarray(top1) == np.asarray(truth)))
        result.top3 = float(np.mean(top3))
        labels = sorted(data.categories)
        precision, recall, _f, support = precision_recall_fscore_support(
            truth, top1, labels=labels, zero_division=0
        )
        names = dict(Category.objects.filter(pk__in=labels).values_list("pk", "name"))
        result.per_category = [
            {
                "category": pk,
                "name": names.get(pk, str(pk)),
                "precision": float(p),
                "recall": float(r),
                "support": int(s),
            }
            for pk, p, r, s in zip(labels, precision, recall, support, strict=True)
        ]
        chosen = _citizen_choices(ids)
        mistakes = [(i, chosen[pk]) for i, pk in enumerate(ids) if pk in chosen and chosen[pk] != truth[i]]
        result.citizen_mistakes = len(mistakes)
        if mistakes:
            result.caught_by_suggestions = sum(truth[i] in shown[i] for i, _c in mistakes) / len(mistakes)
            result.caught_by_first = sum(shown[i][:1] == [truth[i]] for i, _c in mistakes) / len(mistakes)
    if with_duplicates:
        result.duplicates = duplicates.evaluate_duplicates(since=split_at)
    return result
