"""German number and money formatting for templates: {% load formatting %} ... {{ amount|euro }}.

Formats Decimals exactly (no float round trip), independent of the active language, because the
portfolio's figures are published in German style ("13.500.000,00 €") in every view and report.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def format_decimal_de(value, places: int = 2) -> str:
    """'13500000.5' -> '13.500.000,50'; '' for None or anything that is not a number."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    quantum = Decimal(1).scaleb(-places) if places else Decimal(1)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = sign + ".".join(groups)
    return f"{text},{fraction}" if places else text


@register.filter
def euro(value, places=2):
    """Money in German style with the euro sign: 13.500.000,00 €. Empty for missing values."""
    text = format_decimal_de(value, int(places))
    return f"{text} €" if text else ""


@register.filter
def number_de(value, places=2):
    """A number in German style without unit; trailing ',00' dropped for whole numbers."""
    text = format_decimal_de(value, int(places))
    if text.endswith("," + "0" * int(places)) and int(places):
        text = text[: -(int(places) + 1)]
    return text
