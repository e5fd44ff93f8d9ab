"""Text helpers shared by the apps."""

from django.utils.text import slugify

_GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slugify(text: str) -> str:
    """A URL slug that spells umlauts the German way: "Mängelmelder" -> "maengelmelder"."""
    return slugify(text.translate(_GERMAN_TRANSLITERATION))
