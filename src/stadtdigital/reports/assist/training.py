"""Training data from the city's own reports, training, storing and loading the shared model.

Input of a report: its description and its text answers. Label: its category *now*, i.e. after staff
re-categorised it (the final category). Unconfirmed and hidden reports are left out (possible spam or
offensive). Categories with fewer than ASSIST_MIN_REPORTS_PER_CATEGORY reports are not trained and so never
suggested. The model is stored as a new `AssistModel` row; every app server and worker loads the current
row (and reloads when a newer version appears).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from stadtdigital.reports.models import AssistModel, AttributeValue, Category, Report, Visibility

if TYPE_CHECKING:  # scikit-learn and numpy load only when a model is trained or used (about 80 MB a process)
    from stadtdigital.reports.assist.classifier import Classifier

CHUNK = 20_000
KEEP_MODELS = 3  # older rows are deleted: the stored bytes are a few MB each
RELOAD_SECONDS = 30  # how often a process looks for a newer model


def training_reports(until: datetime.datetime | None = None, since: datetime.datetime | None = None):
    reports = Report.objects.exclude(visibility__in=[Visibility.PENDING_CONFIRMATION, Visibility.HIDDEN])
    if until is not None:
        reports = reports.filter(created_at__lt=until)
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    return reports


def category_counts(reports) -> dict[int, int]:
    return dict(reports.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))


def rows(reports, categories: set[int], chunk: int = CHUNK) -> Iterator[list[tuple[int, str, int]]]:
    """(report id, text, category id) in chunks, oldest first (keyset pagination on id)."""
    last = 0
    base = reports.filter(category__in=categories).order_by("pk")
    while True:
        batch = list(base.filter(pk__gt=last).values_list("pk", "description", "category_id")[:chunk])
        if not batch:
            return
        last = batch[-1][0]
        answers: dict[int, list[str]] = {}
        for report_id, value in AttributeValue.objects.filter(
            report_id__gte=batch[0][0], report_id__lte=last
        ).values_list("report_id", "value"):
            if isinstance(value, str):
                answers.setdefault(report_id, []).append(value)
        yield [
            (pk, " ".join([description, *answers.get(pk, [])]), category)
            for pk, description, category in batch
        ]


@dataclass
class TrainingSet:
    reports: object  # QuerySet
    categories: dict[int, int]  # trained category id -> number of reports

    def chunks(self):
        for batch in rows(self.reports, set(self.categories)):
            yield [text for _pk, text, _c in batch], [category for _pk, _t, category in batch]


def training_set(until=None, since=None, minimum: int | None = None) -> TrainingSet:
    minimum = settings.ASSIST_MIN_REPORTS_PER_CATEGORY if minimum is None else minimum
    reports = training_reports(until, since)
    counts = category_counts(reports)
    return TrainingSet(reports, {c: n for c, n in counts.items() if n >= minimum})


def train(data: TrainingSet, progress: Callable[[str, int], None] | None = None) -> Classifier:
    from stadtdigital.reports.assist.classifier import Classifier

    return Classifier().fit(data.chunks, progress)


@transaction.atomic
def store(classifier: Classifier, data: TrainingSet, metrics: dict | None = None) -> AssistModel:
    names = {c.pk: (c.code, c.name) for c in Category.objects.filter(pk__in=data.categories)}
    version = (AssistModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    AssistModel.objects.filter(is_current=True).update(is_current=False)
    model = AssistModel.objects.create(
        version=version,
        created_at=timezone.now(),
        is_current=True,
        categories={
            str(pk): {"code": names[pk][0], "name": names[pk][1], "reports": n}
            for pk, n in data.categories.items()
            if pk in names
        },
        training_reports=sum(data.categories.values()),
        metrics=metrics or {},
        data=classifier.to_bytes(),
    )
    stale = AssistModel.objects.order_by("-version").values_list("pk", flat=True)[KEEP_MODELS:]
    AssistModel.objects.filter(pk__in=list(stale)).delete()
    return model


def train_and_store(progress=None, *, evaluate: bool = True) -> AssistModel | None:
    """What the daily job and `stadtdigital reports train-assist` do. None: too little data to train."""
    data = training_set()
    if len(data.categories) < 2:
        return None
    classifier = train(data, progress)
    metrics = {}
    if evaluate:
        from stadtdigital.reports.assist.evaluation import evaluate as run_evaluation

        metrics = run_evaluation().as_dict()
    return store(classifier, data, metrics)


def daily_training() -> dict:
    """The worker's daily job."""
    model = train_and_store()
    return {"version": model.version if model else None}


# --- the shared model in this process ---------------------------------------------------------------------


@dataclass
class LoadedModel:
    version: int
    classifier: Classifier
    categories: dict[int, dict]


_lock = threading.Lock()
_state: dict = {"checked": 0.0, "loaded": None}


def current_model() -> LoadedModel | None:
    """The current model, loaded once per process and version (checked every RELOAD_SECONDS)."""
    now = time.monotonic()
    loaded = _state["loaded"]
    if loaded is not None and now - _state["checked"] < RELOAD_SECONDS:
        return loaded
    with _lock:
        version = (
            AssistModel.objects.filter(is_current=True)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        _state["checked"] = now
        if version is None:
            _state["loaded"] = None
        elif loaded is None or loaded.version != version:
            from stadtdigital.reports.assist.classifier import Classifier

            row = AssistModel.objects.get(version=version)
            _state["loaded"] = LoadedModel(
                version, Classifier.from_bytes(row.data), {int(k): v for k, v in row.categories.items()}
            )
        return _state["loaded"]


def forget_loaded_model() -> None:
    """Tests and `train-assist` in the same process: look for the current model on the next call."""
    _state["checked"], _state["loaded"] = 0.0, None
