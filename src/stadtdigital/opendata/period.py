"""The period filter of downloads and exports: `start_date` and `end_date` as ISO dates (YYYY-MM-DD), both inclusive."""

import datetime

from django.utils.translation import gettext as _

from stadtdigital.opendata.registry import Period


class PeriodError(ValueError):
    """The period is malformed; the message names the parameter and what is wrong (German or English)."""


def parse_period(start: str | None, end: str | None) -> Period:
    start_date = _parse_day("start_date", start)
    end_date = _parse_day("end_date", end)
    if start_date and end_date and start_date > end_date:
        raise PeriodError(
            _("start_date (%(start)s) liegt nach end_date (%(end)s).") % {"start": start_date, "end": end_date}
        )
    return Period(start_date, end_date)


def _parse_day(name: str, value: str | None) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else _invalid(name, value)
    except ValueError:
        _invalid(name, value)


def _invalid(name: str, value: str):
    raise PeriodError(
        _("%(name)s: „%(value)s“ ist kein Datum im Format JJJJ-MM-TT (zum Beispiel 2024-01-31).")
        % {"name": name, "value": value[:40]}
    )
