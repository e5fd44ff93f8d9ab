import logging
from collections.abc import Callable, Iterable

from django.db import DatabaseError, transaction
from django.utils import timezone

from stadtdigital.opendata.models import DataChange, DownloadSize
from stadtdigital.opendata.registry import Dataset, Distribution, Period, Progress, all_datasets, version_tag

logger = logging.getLogger(__name__)


def record_byte_size(
    dataset: Dataset, distribution: Distribution, version: str, byte_size: int, rows: int | None
) -> None:
    """Remembers the size of a whole download at `version`.

    Called after the last chunk of a download has been sent: a failure here (a locked SQLite database)
    must not turn a complete download into a broken one, so it is logged, not raised.
    """
    try:
        with transaction.atomic():
            DownloadSize.objects.update_or_create(
                dataset=dataset.name,
                format=distribution.key,
                defaults={"version": version, "byte_size": byte_size, "row_count": rows},
            )
    except DatabaseError:
        logger.warning("Recording the size of %s.%s failed", dataset.name, distribution.key, exc_info=True)


def measure(dataset: Dataset, distribution: Distribution, progress: Progress | None = None) -> int:
    """Streams the whole download into nothing, counting bytes, and records its size."""
    # The version before streaming: if the data changes meanwhile, the size is stored under the old
    # version and simply never shown.
    version = version_tag(dataset, distribution, Period())
    rows = dataset.row_count(Period())
    size = sum(len(chunk) for chunk in distribution.stream(Period(), progress))
    record_byte_size(dataset, distribution, version, size, rows)
    return size


def refresh_sizes(
    on_start: Callable[[Dataset, Distribution], Progress | None] | None = None,
    on_done: Callable[[Dataset, Distribution, int | None], None] | None = None,
) -> int:
    """Daily job: measure every streamed download whose recorded size is missing or out of date.

    `on_start` may return a progress callback for the distribution about to be measured; `on_done` gets
    its size (None when measuring failed). Returns the number of downloads measured.
    """
    from stadtdigital.opendata.selectors import known_byte_size

    measured = 0
    for dataset in all_datasets():
        for distribution in dataset.distributions:
            if distribution.byte_size is not None or known_byte_size(dataset, distribution) is not None:
                continue
            progress = on_start(dataset, distribution) if on_start else None
            try:
                size = measure(dataset, distribution, progress)
            except Exception:  # one failing dataset must not stop the others
                logger.exception("Measuring %s.%s failed", dataset.name, distribution.key)
                size = None
            else:
                measured += 1
            if on_done:
                on_done(dataset, distribution, size)
    return measured


def note_change(dataset_name: str) -> None:
    """Marks the data of a dataset as changed now (its Last-Modified and ETag move on)."""
    now = timezone.now()
    if not DataChange.objects.filter(dataset=dataset_name).update(changed_at=now):
        DataChange.objects.update_or_create(dataset=dataset_name, defaults={"changed_at": now})


def watch_changes(dataset_name: str, model_labels: Iterable[str]) -> None:
    """Calls note_change(dataset_name) whenever a row of one of the models is saved or deleted.

    For models whose changes leave no timestamp behind. Called once from AppConfig.ready(); signals
    miss bulk_create and queryset.update(), which is why datasets still read their own timestamps too.
    """
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(sender, **kwargs):
        if kwargs.get("raw"):  # loaddata: fixtures are not edits
            return
        action = kwargs.get("action")
        if action is not None and not action.startswith("post_"):
            return
        note_change(dataset_name)

    for label in model_labels:
        model = apps.get_model(label)
        uid = f"opendata:{dataset_name}:{label}"
        if model._meta.auto_created:  # an m2m through table: its changes arrive as m2m_changed
            m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        else:
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
