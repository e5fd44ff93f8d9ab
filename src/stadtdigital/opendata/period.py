"""The period filter of downloads and exports: `start_date` and `end_date` as YYYY-MM-DD, both inclusive."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from stadtdigital.opendata.registry import Period


class PeriodError(ValueError):
    """The period is malformed; the message names the parameter and what is wrong (German or English)."""


def parse_period(start: str | None, end: str | None) -> Period:
    start_date = _parse_day("start_date", start)
    end_date = _parse_day("end_date", end)
    if start_date and end_date and start_date > end_date:
        raise PeriodError(
            _("start_date (%(start)s) liegt nach end_date (%(end)s).")
            % {"start": start_date, "end": end_date}
        )
    return Period(start_date, end_date)


# ASCII digits only: `date.fromisoformat` also takes week dates (2024-W05-1) and other digit characters.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

# Days outside this range bound nothing (no data is that old or that new) and would overflow when shifted
# to UTC or to the next midnight, so the period is left open at that end.
_FIRST_DAY = datetime.date(1900, 1, 1)
_LAST_DAY = datetime.date(9000, 12, 31)


def _parse_day(name: str, value: str | None) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _DAY.fullmatch(value):
        _invalid(name, value)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        _invalid(name, value)


def period_bounds(period: Period) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The period as instants [start, end) in the city's time zone: midnight at the start of the first day
    to midnight after the last day (so the last day counts in full, also on days of 23 or 25 hours)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = end = None
    if period.start is not None and period.start > _FIRST_DAY:
        start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    if period.end is not None and period.end < _LAST_DAY:
        end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _invalid(name: str, value: str):
    raise PeriodError(
        _("%(name)s: „%(value)s“ ist kein Datum im Format JJJJ-MM-TT (zum Beispiel 2024-01-31).")
        % {"name": name, "value": value[:40]}
    )
