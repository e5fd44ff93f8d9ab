import logging

from stadtdigital.opendata.models import DownloadSize
from stadtdigital.opendata.registry import Dataset, Distribution, Period, all_datasets, version_tag

logger = logging.getLogger(__name__)


def record_byte_size(dataset: Dataset, distribution: Distribution, version: str, byte_size: int, rows: int | None) -> None:
    DownloadSize.objects.update_or_create(
        dataset=dataset.name,
        format=distribution.key,
        defaults={"version": version, "byte_size": byte_size, "row_count": rows},
    )


def measure(dataset: Dataset, distribution: Distribution) -> int:
    """Streams the whole download into nothing, counting bytes, and records its size."""
    version = version_tag(dataset, distribution, Period())
    size = sum(len(chunk) for chunk in distribution.stream(Period(), None))
    record_byte_size(dataset, distribution, version, size, dataset.row_count(Period()))
    return size


def refresh_sizes() -> None:
    """Daily job: measure every streamed download whose recorded size is missing or out of date."""
    from stadtdigital.opendata.selectors import known_byte_size

    for dataset in all_datasets():
        for distribution in dataset.distributions:
            if distribution.byte_size is not None or known_byte_size(dataset, distribution) is not None:
                continue
            try:
                measure(dataset, distribution)
            except Exception:  # one failing dataset must not stop the others
                logger.exception("Measuring %s.%s failed", dataset.name, distribution.key)
