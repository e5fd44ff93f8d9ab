"""German number, money and date formatting for the report, independent of the request's locale.

The report is a German publication, so these helpers do not follow Django's active language: the same data
always gives the same text (reproducible output).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from stadtdigital.core.numbers import GERMAN, format_decimal, with_unit

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
MINUS = "−"  # U+2212, the typographic minus sign


def money(value: Decimal | None) -> str:
    """Money as the JSON string form: 2 decimals, dot as decimal separator, no grouping ("13500000.00")."""
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def to_decimal(value: str | Decimal | int | None) -> Decimal:
    if value is None or value == "":
        return Decimal("0")
    return Decimal(str(value))


def group(number: int) -> str:
    """12345678 -> "12.345.678"."""
    return format_decimal(number, 0, **GERMAN)


def decimal_de(value: Decimal | str | None, places: int = 2) -> str:
    """Decimal in German notation with thousands separator: 1234.5 -> "1.234,50"."""
    if value is None or value == "":
        return "–"
    return format_decimal(to_decimal(value), places, **GERMAN, minus=MINUS)


def number_de(value: Decimal | str | None) -> str:
    """A KPI value: no decimals when whole ("1.200"), else German decimals ("12,5")."""
    if value is None or value == "":
        return "–"
    value = to_decimal(value)
    if value == value.to_integral_value():
        return decimal_de(value, 0)
    text = decimal_de(value, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def eur(value: Decimal | str | None) -> str:
    """Full amount: "13.500.000,00 €"; "–" when unknown."""
    if value is None or value == "":
        return "–"
    return with_unit(decimal_de(value, 2), "€")


def eur_short(value: Decimal | str | None) -> str:
    """Rounded amount for headlines and charts: "13,5 Mio. €", "850.000 €", "1,2 Mrd. €"."""
    if value is None or value == "":
        return "–"
    value = to_decimal(value)
    sign = MINUS if value < 0 else ""
    value = abs(value)
    if value >= Decimal("1000000000"):
        return sign + with_unit(decimal_de(value / Decimal("1000000000"), 1), "Mrd. €")
    if value >= Decimal("1000000"):
        return sign + with_unit(decimal_de(value / Decimal("1000000"), 1), "Mio. €")
    return sign + with_unit(decimal_de(value, 0), "€")


def signed(number: int) -> str:
    """+12 / −3 / ±0."""
    if number > 0:
        return f"+{group(number)}"
    if number < 0:
        return f"{MINUS}{group(-number)}"
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
    return with_unit(decimal_de(Decimal(part) * 100 / Decimal(whole), 1), "%")
