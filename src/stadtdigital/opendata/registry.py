"""What the open data app publishes: datasets, their distributions and the formats they come in.

The app that owns the data declares its datasets on its AppConfig (like the navigation in
core/navigation.py): `opendata_datasets = ("dotted.path.to.datasets", ...)`, each a callable returning
`Dataset` objects (portfolio/opendata/, reports/opendata/). `all_datasets()` calls them at call time, in the
order of INSTALLED_APPS, so datasets that depend on the database (one per published annual report) appear
as soon as the data exists. The dependency runs one way: the owning apps use this module's primitives,
this app never imports them. Downloads, the catalogue, the
/opendata/ page and `stadtdigital opendata export` all read this registry and nothing else.
"""

import datetime
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string

# Called with the number of rows written so far (the export command draws its progress bar from it).
Progress = Callable[[int], None]


@dataclass(frozen=True)
class FileFormat:
    key: str  # file name extension and the `--format` of the export command
    media_type: str  # IANA media type, as sent in Content-Type and dcat:mediaType
    eu_file_type: str  # code in the EU "file type" authority table (dct:format)
    label: str


FORMATS = {
    fmt.key: fmt
    for fmt in (
        FileFormat("csv", "text/csv", "CSV", "CSV"),
        FileFormat("json", "application/json", "JSON", "JSON"),
        FileFormat("geojson", "application/geo+json", "GEOJSON", "GeoJSON"),
        FileFormat(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX",
            "Excel (XLSX)",
        ),
        FileFormat("pdf", "application/pdf", "PDF", "PDF"),
    )
}


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar days; either end may be open. Empty = everything."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None

    def slug(self) -> str:
        """A file-name part such as `2024-01-01_2024-12-31`; empty for the whole period."""
        if not self:
            return ""
        return f"{self.start or ''}_{self.end or ''}"


@dataclass(frozen=True)
class Distribution:
    format: FileFormat
    # Yields the file's bytes in chunks; calls `progress` with the rows written so far. Must stream: memory
    # may not grow with the number of rows.
    stream: Callable[[Period, Progress | None], Iterator[bytes]]
    # Stored files (a published report's PDF) know their size up front; streamed ones do not.
    byte_size: Callable[[], int] | None = None

    @property
    def key(self) -> str:
        return self.format.key


def streamed(**streams: Callable[[Period, Progress | None], Iterator[bytes]]) -> tuple[Distribution, ...]:
    """Distributions streamed from the data, one per format key: `streamed(csv=..., json=...)`."""
    return tuple(Distribution(FORMATS[key], stream) for key, stream in streams.items())


@dataclass(frozen=True)
class Dataset:
    name: str  # stable identifier: URL part, CLI `--dataset`, catalogue identifier
    title: str | Promise
    description: str | Promise
    keywords: tuple[str | Promise, ...]
    themes: tuple[str, ...]  # codes of the EU "data theme" authority table, e.g. "GOVE", "REGI"
    frequency: str  # code of the EU "frequency" authority table, e.g. "DAILY", "ANNUAL", "MONTHLY"
    distributions: tuple[Distribution, ...]
    # When the data last changed (Last-Modified; dct:modified); None when there is no data yet.
    modified: Callable[[], datetime.datetime | None]
    # The days the data covers (dct:temporal); None when there is no data yet.
    temporal: Callable[[], tuple[datetime.date, datetime.date] | None]
    # Rows in the download for a period (progress bars, the page, ETags); None when not row-based (PDF).
    row_count: Callable[[Period], int | None]
    supports_period: bool = False
    landing_page: Callable[[], str] | None = None  # path of the human-readable page about the data
    issued: Callable[[], datetime.datetime | None] | None = None
    extra: dict = field(default_factory=dict)

    def distribution(self, key: str) -> Distribution | None:
        return next((d for d in self.distributions if d.key == key), None)


# Bumped when the content of a download changes without its data changing (new column, other formatting),
# so caches holding the old bytes under the old ETag are not answered 304.
FORMAT_REVISION = "2"  # 2: XLSX stamped with the data's last change, formula-safe text cells


def version_tag(dataset: Dataset, distribution: Distribution, period: Period) -> str:
    """The strong ETag value (without quotes) of one download: changes whenever its bytes may change."""
    modified = dataset.modified()
    parts = [
        FORMAT_REVISION,
        dataset.name,
        distribution.key,
        period.slug(),
        modified.isoformat() if modified else "-",
        str(dataset.row_count(period)),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def collect() -> list[Dataset]:
    """The datasets every installed app declares in `opendata_datasets`, in the order of /opendata/."""
    return [
        dataset
        for config in apps.get_app_configs()
        for name in getattr(config, "opendata_datasets", ())
        for dataset in import_string(name)()
    ]


def all_datasets() -> list[Dataset]:
    return collect()


def get_dataset(name: str) -> Dataset | None:
    return next((dataset for dataset in all_datasets() if dataset.name == name), None)
