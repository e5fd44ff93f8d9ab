from stadtdigital.opendata.models import DownloadSize
from stadtdigital.opendata.registry import Dataset, Distribution, Period, version_tag


def known_byte_size(dataset: Dataset, distribution: Distribution, version: str | None = None) -> int | None:
    """The size of the whole download as it is now, if known: stored files always, streamed ones once measured."""
    if distribution.byte_size is not None:
        return distribution.byte_size()
    version = version or version_tag(dataset, distribution, Period())
    return (
        DownloadSize.objects.filter(dataset=dataset.name, format=distribution.key, version=version)
        .values_list("byte_size", flat=True)
        .first()
    )
