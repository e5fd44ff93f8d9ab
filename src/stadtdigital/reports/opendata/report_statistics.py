"""The dataset `anliegen-monatsstatistik`: per month, category and department, how many public reports were
received, closed and fixed, and the median time from receipt to closing of those closed.

Only public reports count, the same as in the dataset `anliegen`, so every figure can be recomputed from
that file: "eingegangen" are its rows received in the month, "geschlossen" its rows with a closing date in
the month (a report closed and reopened counts only once it is closed again), "erledigt" those of them in
state `fixed`, and the median is taken over their closing minus receipt, in whole seconds as the file gives
them. Months are calendar months in the city's time zone.

Ended months come from the figures the daily job stored (`statistics_cache`, decision 0028) unless a change
of a report touched them since; the other months are computed live. Live, two queries: received counts are
one GROUP BY (month, category, department) in SQL, a row per group (the month numbered by a CASE over the
month boundaries, no time zone functions needed); closings come from one query ordered by the closing date,
streamed, so only the current month's durations are in memory (a median needs all values of its group).
Memory grows with one month's closings, not with the number of reports.
"""

import datetime
import decimal
import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stadtdigital.opendata import writers
from stadtdigital.opendata.registry import Dataset, Period, Progress, streamed
from stadtdigital.reports.models import State
from stadtdigital.reports.opendata import statistics_cache
from stadtdigital.reports.selectors import opendata as selectors

NAME = "anliegen-monatsstatistik"

HEADER = (
    "monat",
    "kategorie_code",
    "kategorie",
    "fachbereich",
    "eingegangen",
    "geschlossen",
    "erledigt",
    "median_tage_bis_abschluss",
)

_DAY_SECONDS = 86400
_TENTH = decimal.Decimal("0.1")


@dataclass(frozen=True)
class Month:
    label: str  # YYYY-MM
    start: datetime.datetime  # midnight of the first day, city time
    end: datetime.datetime  # midnight of the first day of the next month
    end_utc: str  # `end` as UTC text, comparable with the selectors' UTC texts


def _month_start(year: int, month: int, tz) -> datetime.datetime:
    return datetime.datetime(year, month, 1, tzinfo=tz)


def _next(year: int, month: int) -> tuple[int, int]:
    return (year, month + 1) if month < 12 else (year + 1, 1)


def months(period: Period) -> list[Month]:
    """The calendar months that hold data and overlap the period, oldest first."""
    received = selectors.received_range()
    if received is None:
        return []
    tz = ZoneInfo(settings.TIME_ZONE)
    first = received[0].astimezone(tz).date()
    # No public report was closed after the last change of one.
    last = max(received[1], selectors.last_public_change() or received[1]).astimezone(tz).date()
    if period.start is not None:
        first = max(first, period.start)
    if period.end is not None:
        last = min(last, period.end)
    result = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = _next(year, month)
        start, end = _month_start(year, month, tz), _month_start(*following, tz)
        end_utc = end.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
        result.append(Month(f"{year:04d}-{month:02d}", start, end, end_utc))
        year, month = following
    return result


def _median_days(seconds: list[int]) -> decimal.Decimal:
    """The median in days, to a tenth, halves rounded up (as a spreadsheet would)."""
    median = decimal.Decimal(statistics.median(seconds))  # exact: a whole or half second
    return (median / _DAY_SECONDS).quantize(_TENTH, rounding=decimal.ROUND_HALF_UP)


def _sort_key(key: tuple[int, int], categories: dict, departments: dict) -> tuple:
    code, name = categories.get(key[0], ("", ""))
    return name, code, departments.get(key[1], ""), key


Figures = dict[tuple[int, int], tuple[int, int, int, decimal.Decimal | None]]
"""(category id, department id) -> (received, closed, fixed, median days or None) of one month."""


def live_figures(month_list: list[Month], *, whole_table: bool = False) -> Iterator[tuple[Month, Figures]]:
    """The figures of consecutive months computed from the reports: one GROUP BY for the received counts,
    one query over the closings in closing order (medians need every duration of a group)."""
    bounds = [month.start for month in month_list] + [month_list[-1].end]
    received_counts = selectors.received_by_month(bounds, whole_table=whole_table)
    received_pending = next(received_counts, None)
    closings = selectors.closings(bounds[0], bounds[-1])
    pending = next(closings, None)
    for index, month in enumerate(month_list):
        received: dict[tuple[int, int], int] = {}
        while received_pending is not None and received_pending[0] == index:
            received[received_pending[1], received_pending[2]] = received_pending[3]
            received_pending = next(received_counts, None)
        durations: dict[tuple[int, int], list[int]] = defaultdict(list)
        fixed: Counter = Counter()
        while pending is not None and pending[0] < month.end_utc:
            _closed_utc, seconds, category_id, department_id, state = pending
            durations[category_id, department_id].append(seconds)
            if state == State.FIXED:
                fixed[category_id, department_id] += 1
            pending = next(closings, None)
        yield (
            month,
            {
                key: (
                    received.get(key, 0),
                    len(durations.get(key, ())),
                    fixed[key],
                    _median_days(durations[key]) if key in durations else None,
                )
                for key in set(received) | set(durations)
            },
        )


def _stored(figures: dict[tuple[int, int], tuple]) -> Figures:
    return {
        key: (
            received,
            closed,
            fixed,
            None if tenths is None else (decimal.Decimal(tenths) / 10).quantize(_TENTH),
        )
        for key, (received, closed, fixed, tenths) in figures.items()
    }


def _month_figures(month_list: list[Month], whole_request: bool) -> Iterator[tuple[Month, Figures]]:
    """Stored figures where they are complete and up to date (statistics_cache), the others live."""
    stored = statistics_cache.stored_figures([month.label for month in month_list])
    for is_stored, run in itertools.groupby(month_list, key=lambda month: month.label in stored):
        run = list(run)
        if is_stored:
            for month in run:
                yield month, _stored(stored[month.label])
        else:
            yield from live_figures(run, whole_table=whole_request and len(run) == len(month_list))


def _figures(period: Period) -> Iterator[tuple]:
    """(month, category code, category, department, received, closed, fixed, median days or None) per
    month and group with any report received or closed, ordered by month, category and department."""
    month_list = months(period)
    if not month_list:
        return
    categories = selectors.category_names()
    departments = selectors.department_names()
    for month, figures in _month_figures(month_list, whole_request=not period):
        if any(key[0] not in categories or key[1] not in departments for key in figures):
            categories, departments = selectors.category_names(), selectors.department_names()
        for key in sorted(figures, key=lambda key: _sort_key(key, categories, departments)):
            code, name = categories.get(key[0], ("", ""))
            yield (month.label, code, name, departments.get(key[1], ""), *figures[key])


def stream_csv(period: Period, progress: Progress | None = None) -> Iterator[bytes]:
    return writers.csv_chunks(HEADER, _figures(period), progress)


def stream_json(period: Period, progress: Progress | None = None) -> Iterator[bytes]:
    objects = (
        dict(zip(HEADER, (*row[:7], None if row[7] is None else float(row[7])), strict=True))
        for row in _figures(period)
    )
    return writers.json_chunks(objects, progress)


def stream_xlsx(period: Period, progress: Progress | None = None) -> Iterator[bytes]:
    # A German sheet name whatever the visitor's language: the same bytes under the same ETag.
    return writers.xlsx_chunks(
        HEADER, _figures(period), progress, sheet_title="Monatsstatistik", modified=_modified()
    )


def _temporal() -> tuple[datetime.date, datetime.date] | None:
    received = selectors.received_range()
    if received is None:
        return None
    tz = ZoneInfo(settings.TIME_ZONE)
    last = max(received[1], selectors.last_public_change() or received[1])
    return received[0].astimezone(tz).date(), last.astimezone(tz).date()


def _modified() -> datetime.datetime | None:
    from stadtdigital.opendata.selectors import noted_change

    stamps = [stamp for stamp in (selectors.last_change(), noted_change(NAME)) if stamp is not None]
    return max(stamps) if stamps else None


def watch() -> None:
    """Category and department renames change the figures' names (see reports.watch)."""
    from stadtdigital.opendata import services
    from stadtdigital.reports.opendata.reports import WATCHED_MODELS

    services.watch_changes(NAME, WATCHED_MODELS)


def _row_count(period: Period) -> None:
    # Counting the rows costs as much as computing the file (every month's groups, every closing); the
    # page and the catalogue ask for it on every view, so it is not offered.
    return None


def datasets() -> list[Dataset]:
    return [
        Dataset(
            name=NAME,
            title=_("Anliegen aus dem Mängelmelder: Monatsstatistik"),
            description=_(
                "Je Kalendermonat, Kategorie und zuständigem Fachbereich: Zahl der eingegangenen, der "
                "geschlossenen und der erledigten (behobenen) Meldungen sowie der Median der Tage vom "
                "Eingang bis zum Abschluss der im Monat geschlossenen Meldungen (auf eine Nachkommastelle). "
                "Gezählt werden nur öffentliche Meldungen, dieselben wie im Datensatz „Anliegen aus dem "
                "Mängelmelder“, sodass sich jede Zahl aus ihm nachrechnen lässt; eine wieder geöffnete "
                "Meldung zählt erst mit ihrem erneuten Abschluss. start_date und end_date (JJJJ-MM-TT) "
                "wählen die Monate, die den Zeitraum berühren."
            ),
            keywords=(_("Mängelmelder"), _("Anliegen"), _("Statistik"), _("Bearbeitungszeit"), "Open311"),
            themes=("GOVE", "REGI"),
            # Computed from the live data like the reports themselves: the current month changes with
            # every report (docs/decisions/0012-open-data-downloads.md).
            frequency="UPDATE_CONT",
            distributions=streamed(csv=stream_csv, json=stream_json, xlsx=stream_xlsx),
            modified=_modified,
            temporal=_temporal,
            row_count=_row_count,
            supports_period=True,
            landing_page=lambda: reverse("reports:list"),
        )
    ]
