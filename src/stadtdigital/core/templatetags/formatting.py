"""Number and money formatting for pages: {% load formatting %} ... {{ amount|euro }}.

Decimals are formatted exactly, in the reader's language: "13.500.000,00 €" in German,
"€13,500,000.00" in English. (The published report is a German document and has its own formatting.)
"""

from django import template
from django.utils.translation import get_language

from stadtdigital.core.numbers import ENGLISH, GERMAN, format_decimal, with_unit

register = template.Library()


def _german() -> bool:
    return (get_language() or "de").startswith("de")


@register.filter
def euro(value, places=2):
    """Money with the euro sign; empty for missing values."""
    text = format_decimal(value, int(places), **(GERMAN if _german() else ENGLISH))
    if not text:
        return ""
    if _german():
        return with_unit(text, "€")
    return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"


@register.filter
def number(value, places=2):
    """A number without unit; whole numbers without decimals ("1.200", but "1.234,50")."""
    places = int(places)
    separators = GERMAN if _german() else ENGLISH
    text = format_decimal(value, places, **separators)
    whole_suffix = separators["decimal_sep"] + "0" * places
    if places and text.endswith(whole_suffix):
        text = text[: -len(whole_suffix)]
    return text


@register.filter
def unit(value, unit_text):
    """{{ 45|unit:"%" }} -> "45 %" with a no-break space (core.numbers.with_unit)."""
    return with_unit(str(value), unit_text) if value not in (None, "") else ""
