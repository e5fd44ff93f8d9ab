from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.core.text import german_slugify


def test_umlauts_and_sharp_s_are_spelled_out():
    assert german_slugify("Mängelmelder für Bürger, Straße") == "maengelmelder-fuer-buerger-strasse"


@given(st.text())
def test_slug_only_has_url_safe_characters(text):
    slug = german_slugify(text)
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in slug)
