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


def format_decimal_de(value, places: int = 2) -> str:
    return format_decimal(value, places, **GERMAN)


NBSP = "\u00a0"


def with_unit(number_text: str, unit: str) -> str:
    """'45,1' and '%' -> '45,1 %' joined by a no-break space, so a number never breaks from its unit
    (%, €, Mio. €, m, km, Tage ...): pages, the report PDF and mails all format units through this."""
    if not number_text:
        return ""
    return f"{number_text}{NBSP}{unit.replace(' ', NBSP)}"
