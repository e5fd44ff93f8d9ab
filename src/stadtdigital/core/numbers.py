"""Exact formatting of Decimals (never through float), shared by templates, forms and the report."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

GERMAN = {"decimal_sep": ",", "group_sep": "."}
ENGLISH = {"decimal_sep": ".", "group_sep": ","}


def format_decimal(
    value, places: int = 2, *, decimal_sep: str = ",", group_sep: str = ".", minus: str = "-"
) -> str:
    """'13500000.5' -> '13.500.000,50' (German separators by default); '' for None or a non-number."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if not number.is_finite():
        return ""
    quantum = Decimal(1).scaleb(-places) if places else Decimal(1)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = minus if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(integer):,}".replace(",", group_sep)
    return f"{sign}{grouped}{decimal_sep}{fraction}" if places else f"{sign}{grouped}"


MINUS_SIGN = "\u2212"  # the typographic minus of the printed report


def format_decimal_de(value, places: int = 2, *, minus: str = "-", group_sep: str = ".") -> str:
    """German notation: 1234.5 -> '1.234,50'; `group_sep=""` for spreadsheets ('1234,50'); '' for None."""
    return format_decimal(value, places, decimal_sep=",", group_sep=group_sep, minus=minus)


def format_integer_de(value) -> str:
    """A count with thousands dots: 12345678 -> '12.345.678'."""
    return format_decimal_de(value, 0)


def format_compact_de(value, places: int = 2, *, minus: str = "-", group_sep: str = ".") -> str:
    """Up to `places` decimals without trailing zeros: 12.50 -> '12,5', 1200.00 -> '1.200'."""
    text = format_decimal_de(value, places, minus=minus, group_sep=group_sep)
    return text.rstrip("0").rstrip(",") if "," in text else text


NBSP = "\u00a0"


def with_unit(number_text: str, unit: str) -> str:
    """'45,1' and '%' -> '45,1 %' joined by a no-break space, so a number never breaks from its unit
    (%, €, Mio. €, m, km, Tage ...): pages, the report PDF and mails all format units through this."""
    if not number_text:
        return ""
    return f"{number_text}{NBSP}{unit.replace(' ', NBSP)}"
