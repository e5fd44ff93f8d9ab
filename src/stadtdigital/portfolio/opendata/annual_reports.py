"""A dataset per published Digitalisierungsbericht (`digitalisierungsbericht-<year>`): PDF, annex CSV, JSON.

PDF and JSON are the bytes frozen when the report was published (portfolio.annual_report.publishing),
served as stored. The CSV is the open data dialect of every other CSV here (RFC 4180), made from the
frozen JSON, so it never changes either; the German spreadsheet annex stored at publication (BOM,
semicolons, decimal commas) stays on the report's own page (docs/decisions/0017).
"""

import datetime
import json
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from stadtdigital.opendata.registry import FORMATS, Dataset, Distribution, Progress
from stadtdigital.opendata.texts import lazy_format
from stadtdigital.portfolio import selectors as portfolio
from stadtdigital.portfolio.annual_report.render import annex_open_data_csv
from stadtdigital.portfolio.selectors import PublishedReportFiles

NAME_PREFIX = "digitalisierungsbericht-"
CHUNK_BYTES = 256 * 1024


def dataset_name(year: int) -> str:
    return f"{NAME_PREFIX}{year}"


def stored_chunks(year: int, kind: str, rows: int | None, progress: Progress | None) -> Iterator[bytes]:
    """The stored file in chunks: slices of one view over the loaded value, copied once, piecewise."""
    data = portfolio.published_report_file(year, kind)
    if data is None:  # unpublished between listing and download: fail rather than publish an empty file
        raise LookupError(f"Der Digitalisierungsbericht {year} ist nicht (mehr) veröffentlicht.")
    for start in range(0, len(data), CHUNK_BYTES):
        yield bytes(data[start : start + CHUNK_BYTES])
    if progress and rows is not None:
        progress(rows)


def open_data_csv(year: int) -> bytes:
    """The annex as open data CSV (RFC 4180, ISO dates, decimal point), made from the report's frozen JSON:
    the same bytes for as long as the report is published, like the stored files (docs/decisions/0017).
    The German spreadsheet annex stored at publication stays on the report's page (anhang.csv)."""
    data = portfolio.published_report_file(year, "json")
    if data is None:
        raise LookupError(f"Der Digitalisierungsbericht {year} ist nicht (mehr) veröffentlicht.")
    return annex_open_data_csv(json.loads(bytes(data)))


def _csv_chunks(year: int, rows: int | None, progress: Progress | None) -> Iterator[bytes]:
    yield open_data_csv(year)
    if progress and rows is not None:
        progress(rows)


def _distribution(report: PublishedReportFiles, kind: str) -> Distribution:
    # Rows only for the annex (one per project); the PDF is not row-based.
    rows = None if kind == "pdf" else report.total_projects
    if kind == "csv":
        return Distribution(
            FORMATS["csv"],
            lambda period, progress: _csv_chunks(report.year, rows, progress),
            byte_size=lambda: len(open_data_csv(report.year)),
        )
    size = report.sizes[kind]
    return Distribution(
        FORMATS[kind],
        lambda period, progress: stored_chunks(report.year, kind, rows, progress),
        byte_size=lambda: size,
    )


def _temporal(report: PublishedReportFiles) -> tuple[datetime.date, datetime.date]:
    """The report year up to its Stichtag (docs/annual-report-json.md: every figure is as of `as_of`).

    A report may be published for another year than its Stichtag's; the period then starts with the
    earlier of both years.
    """
    return datetime.date(min(report.year, report.as_of.year), 1, 1), report.as_of


def _dataset(report: PublishedReportFiles) -> Dataset:
    return Dataset(
        name=dataset_name(report.year),
        title=report.title,
        description=lazy_format(
            gettext_noop(
                "Der %(title)s der Stadt %(city)s mit Stichtag %(as_of)s, unverändert so, wie er am "
                "%(published)s veröffentlicht wurde: der Bericht als PDF und sein maschinenlesbarer Anhang "
                "mit einer Zeile je Projekt (Status, Handlungsfeld, Fachbereich, Budget, Kosten, "
                "Fördermittel zum Stichtag) als CSV (RFC 4180: Komma, UTF-8, Datumsangaben JJJJ-MM-TT, "
                "Beträge mit Dezimalpunkt) und als JSON "
                "(Schema stadtdigital.annual-report/1)."
            ),
            title=report.title,
            city=settings.CITY_NAME,
            as_of=f"{report.as_of:%d.%m.%Y}",
            published=f"{timezone.localtime(report.published_at):%d.%m.%Y}",
        ),
        keywords=(
            _("Digitalisierungsbericht"),
            _("Digitalisierung"),
            _("Digitalprojekte"),
            _("Jahresbericht"),
            str(report.year),
        ),
        themes=("GOVE", "TECH"),
        frequency="ANNUAL",
        distributions=tuple(_distribution(report, kind) for kind in ("pdf", "csv", "json")),
        modified=lambda: report.published_at,
        temporal=lambda: _temporal(report),
        row_count=lambda period: report.total_projects,
        supports_period=False,
        landing_page=lambda: reverse("portfolio:report-detail", kwargs={"year": report.year}),
        issued=lambda: report.published_at,
    )


def datasets() -> list[Dataset]:
    return [_dataset(report) for report in portfolio.published_report_files()]
