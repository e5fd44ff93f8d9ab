import dataclasses
import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stadtdigital.opendata.models import DataChange, DownloadSize
from stadtdigital.opendata.registry import Dataset, Distribution, Period, all_datasets, version_tag


def known_byte_size(dataset: Dataset, distribution: Distribution, version: str | None = None) -> int | None:
    """The size of the whole download as it is now, if known: stored files always, streamed once measured."""
    if distribution.byte_size is not None:
        return distribution.byte_size()
    version = version or version_tag(dataset, distribution, Period())
    return (
        DownloadSize.objects.filter(dataset=dataset.name, format=distribution.key, version=version)
        .values_list("byte_size", flat=True)
        .first()
    )


def noted_change(dataset_name: str) -> datetime.datetime | None:
    """When signals last saw the data behind a dataset change (services.watch_changes); None if never."""
    return DataChange.objects.filter(dataset=dataset_name).values_list("changed_at", flat=True).first()


# --- Licence ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class License:
    uri: str  # the DCAT-AP.de licence URI (dct:license)
    name: str  # German name, as in the DCAT-AP.de licence vocabulary
    url: str  # the human-readable licence text
    attribution_required: bool


# The licences of the DCAT-AP.de vocabulary (http://dcat-ap.de/def/licenses/) a city is likely to choose.
LICENSES = {
    license.uri: license
    for license in (
        License(
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
            True,
        ),
        License(
            "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0",
            False,
        ),
        License(
            "http://dcat-ap.de/def/licenses/cc-by/4.0",
            "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/deed.de",
            True,
        ),
        License(
            "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International "
            "(CC BY-SA 4.0)",
            "https://creativecommons.org/licenses/by-sa/4.0/deed.de",
            True,
        ),
        License(
            "http://dcat-ap.de/def/licenses/cc-zero",
            "Creative Commons CC Zero License (CC0 1.0)",
            "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
            False,
        ),
        License(
            "http://dcat-ap.de/def/licenses/odbl",
            "Open Data Commons Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/1-0/",
            True,
        ),
    )
}


def license_info(uri: str | None = None) -> License:
    """The licence of every distribution (setting OPENDATA_LICENSE); an unknown URI is shown as itself."""
    uri = (uri or settings.OPENDATA_LICENSE).strip()
    # The list's URIs are http; a setting written with https or a trailing slash means the same licence.
    normalised = uri.rstrip("/").replace("https://dcat-ap.de/", "http://dcat-ap.de/", 1)
    return LICENSES.get(normalised) or License(uri, uri, uri, True)


# --- The /opendata/ page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormatSummary:
    key: str
    label: str
    media_type: str
    path: str  # the download URL (path)
    byte_size: int | None  # None: not measured yet at the current version


@dataclass(frozen=True)
class DatasetSummary:
    name: str
    title: str
    description: str
    rows: int | None
    modified: datetime.datetime | None
    frequency: str
    supports_period: bool
    landing_page: str | None
    formats: list[FormatSummary]


FREQUENCY_LABELS = {
    "CONT": _("laufend"),
    "DAILY": _("täglich"),
    "WEEKLY": _("wöchentlich"),
    "MONTHLY": _("monatlich"),
    "QUARTERLY": _("vierteljährlich"),
    "ANNUAL": _("jährlich"),
    "IRREG": _("unregelmäßig"),
    "NEVER": _("keine Aktualisierung"),
    "UPDATE_CONT": _("laufend"),
}


def _memoised(dataset: Dataset) -> Dataset:
    """The dataset with modified() and row_count() asked once, however many formats need them."""
    row_count = functools.cache(dataset.row_count)
    return dataclasses.replace(dataset, modified=functools.cache(dataset.modified), row_count=row_count)


def dataset_summaries() -> list[DatasetSummary]:
    """What /opendata/ shows per dataset, from counts and recorded sizes only (nothing is streamed)."""
    from django.urls import reverse

    summaries = []
    for dataset in map(_memoised, all_datasets()):
        formats = [
            FormatSummary(
                key=distribution.key,
                label=distribution.format.label,
                media_type=distribution.format.media_type,
                path=reverse("opendata:download", args=[dataset.name, distribution.key]),
                byte_size=known_byte_size(dataset, distribution),
            )
            for distribution in dataset.distributions
        ]
        summaries.append(
            DatasetSummary(
                name=dataset.name,
                title=str(dataset.title),
                description=str(dataset.description),
                rows=dataset.row_count(Period()),
                modified=dataset.modified(),
                frequency=str(FREQUENCY_LABELS.get(dataset.frequency, dataset.frequency)),
                supports_period=dataset.supports_period,
                landing_page=dataset.landing_page() if dataset.landing_page else None,
                formats=formats,
            )
        )
    return summaries
