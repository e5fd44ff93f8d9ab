"""German number, money and date formatting for the report, independent of the request's locale.

The report is a German publication, so these helpers do not follow Django's active language: the same data
always gives the same text (reproducible output).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from stadtdigital.core.numbers import (
    MINUS_SIGN,
    format_compact_de,
    format_decimal_de,
    format_integer_de,
    with_unit,
)

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MINUS = MINUS_SIGN


def money(value: Decimal | None) -> str:
    """Money as the JSON string form: 2 decimals, dot as decimal separator, no grouping ("13500000.00")."""
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def to_decimal(value: str | Decimal | int | None) -> Decimal:
    if value is None or value == "":
        return Decimal("0")
    return Decimal(str(value))


def number_de(value: Decimal | str | None) -> str:
    """A KPI value: no decimals when whole ("1.200"), else German decimals ("12,5")."""
    if value is None or value == "":
        return "–"
    return format_compact_de(to_decimal(value), 2, minus=MINUS)


def eur(value: Decimal | str | None) -> str:
    """Full amount: "13.500.000,00 €"; "–" when unknown."""
    if value is None or value == "":
        return "–"
    return with_unit(format_decimal_de(value, 2, minus=MINUS), "€")


def eur_short(value: Decimal | str | None) -> str:
    """Rounded amount for headlines and charts: "13,5 Mio. €", "850.000 €", "1,2 Mrd. €"."""
    if value is None or value == "":
        return "–"
    value = to_decimal(value)
    sign = MINUS if value < 0 else ""
    value = abs(value)
    if value >= Decimal("1000000000"):
        return sign + with_unit(format_decimal_de(value / Decimal("1000000000"), 1, minus=MINUS), "Mrd. €")
    if value >= Decimal("1000000"):
        return sign + with_unit(format_decimal_de(value / Decimal("1000000"), 1, minus=MINUS), "Mio. €")
    return sign + with_unit(format_decimal_de(value, 0, minus=MINUS), "€")


def signed(number: int) -> str:
    """+12 / −3 / ±0."""
    if number > 0:
        return f"+{format_integer_de(number)}"
    if number < 0:
        return f"{MINUS}{format_integer_de(-number)}"
    return "±0"


def signed_eur_short(value: Decimal | str) -> str:
    value = to_decimal(value)
    if value > 0:
        return "+" + eur_short(value)
    if value < 0:
        return eur_short(value)
    return with_unit("±0", "€")


def iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def date_de(value: datetime.date | str | None) -> str:
    """2021-06-30 -> "30.06.2021"."""
    if not value:
        return "–"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.strftime("%d.%m.%Y")


def date_long_de(value: datetime.date | str) -> str:
    """2021-06-30 -> "30. Juni 2021"."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def percent_de(part: Decimal | int, whole: Decimal | int) -> str:
    if not whole:
        return "–"
    return with_unit(format_decimal_de(Decimal(part) * 100 / Decimal(whole), 1, minus=MINUS), "%")
