"""`/opendata/`: every dataset with its downloads, sizes, licence and last update, and the catalogue links."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stadtdigital.core.numbers import ENGLISH, GERMAN, format_decimal
from stadtdigital.opendata import selectors
from stadtdigital.opendata.selectors import DatasetSummary, FormatSummary

CATALOG_SERIALISATIONS = (
    ("ttl", "Turtle"),
    ("jsonld", "JSON-LD"),
    ("rdf", "RDF/XML"),
)


@require_safe
def index(request):
    datasets = [_dataset_entry(summary) for summary in selectors.dataset_summaries()]
    licence = selectors.license_info()
    catalogs = [
        {"url": reverse("opendata:catalog", args=[key]), "label": label, "file": f"catalog.{key}"}
        for key, label in CATALOG_SERIALISATIONS
    ]
    # The page explains the filter once, with the first dataset that has it as the example.
    example = next((entry["period_example"] for entry in datasets if entry["period_example"]), None)
    context = {
        "datasets": datasets,
        "licence": licence,
        "publisher": settings.OPENDATA_PUBLISHER_NAME,
        "catalogs": catalogs,
        "period_example": example,
    }
    return render(request, "opendata/index.html", context)


def _dataset_entry(summary: DatasetSummary) -> dict:
    return {
        "summary": summary,
        "rows": _rows_text(summary.rows) if summary.rows is not None else "",
        "modified": _date(summary.modified),
        "downloads": [_download(summary, fmt) for fmt in summary.formats],
        "period_example": _period_example(summary) if summary.supports_period else None,
    }


def _download(summary: DatasetSummary, fmt: FormatSummary) -> dict:
    if fmt.byte_size is not None:
        detail = size_text(fmt.byte_size)
    elif summary.rows is not None:
        # Not measured at this version yet: the number of rows says how large it is, roughly.
        detail = _rows_text(summary.rows)
    else:
        detail = _("Größe wird ermittelt")
    return {"url": fmt.path, "label": fmt.label, "media_type": fmt.media_type, "detail": detail}


def _period_example(summary: DatasetSummary) -> dict:
    """A link to last year's data: start_date/end_date filter the download by day, both inclusive."""
    year = timezone.localdate().year - 1
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    fmt = summary.formats[0]
    return {
        "url": f"{fmt.path}?start_date={start.isoformat()}&end_date={end.isoformat()}",
        "title": summary.title,
        "label": fmt.label,
        "year": year,
    }


def _separators() -> dict:
    return GERMAN if (get_language() or "de").startswith("de") else ENGLISH


def _group(number: int) -> str:
    return format_decimal(number, 0, **_separators())


def _rows_text(rows: int) -> str:
    return ngettext("%(count)s Eintrag", "%(count)s Einträge", rows) % {"count": _group(rows)}


def size_text(byte_size: int) -> str:
    """'850 Bytes', '12 KB', '1,2 MB', '3,4 GB' (binary units, as file managers show them)."""
    if byte_size < 1024:
        return ngettext("%(count)s Byte", "%(count)s Bytes", byte_size) % {"count": _group(byte_size)}
    for unit, power in (("GB", 3), ("MB", 2)):
        if byte_size >= 1024**power:
            return f"{format_decimal(byte_size / 1024**power, 1, **_separators())} {unit}"
    return f"{_group(round(byte_size / 1024))} KB"


def _date(moment: datetime.datetime | None) -> dict | None:
    if moment is None:
        return None
    day = timezone.localtime(moment).date()
    return {"iso": day.isoformat(), "text": date_format(day, "SHORT_DATE_FORMAT")}
