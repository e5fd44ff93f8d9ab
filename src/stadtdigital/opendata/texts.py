"""Translatable dataset texts with values filled in when they are rendered, in the language active then.

Dataset objects are built once per request but the catalogue renders them in German and English, so a
title such as "Digitalprojekte der Stadt Musterstadt" must stay lazy until it is shown.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext


def _interpolate(message: str, values: dict) -> str:
    return gettext(message) % values


_lazy_interpolate = lazy(_interpolate, str)


def lazy_format(message: str, **values):
    """`message` (marked with gettext_noop) translated and %-formatted with `values` when rendered."""
    return _lazy_interpolate(message, values)
