"""Numbers never break from their units: one no-break space from core.numbers.with_unit, everywhere."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from stadtdigital.core.numbers import NBSP, with_unit
from stadtdigital.portfolio.annual_report.formatting import eur, eur_short, percent_de
from stadtdigital.portfolio.annual_report.render import status_word


def test_with_unit_joins_with_no_break_spaces():
    assert with_unit("45,1", "%") == "45,1\u00a0%"
    assert with_unit("13,5", "Mio. €") == "13,5\u00a0Mio.\u00a0€"
    assert with_unit("", "m") == ""


def test_report_formatting_keeps_units_attached():
    assert percent_de(451, 1000) == "45,1\u00a0%"
    assert eur_short(Decimal("13500000")) == "13,5\u00a0Mio.\u00a0€"
    assert eur(Decimal("1234.5")) == "1.234,50\u00a0€"
    assert " " not in percent_de(1, 3) + eur_short(Decimal("850000"))


def test_unit_and_euro_filters_on_pages():
    with translation.override("de"):
        html = Template('{% load formatting %}{{ 12|unit:"km" }} {{ amount|euro }}').render(
            Context({"amount": Decimal("250000")})
        )
    assert html == f"12{NBSP}km 250.000,00{NBSP}€"


def test_idea_has_a_plural():
    with translation.override("de"):
        assert status_word("idea", 1, "Idee") == "Idee"
        assert status_word("idea", 2, "Idee") == "Ideen"
        assert status_word("paused", 2, "pausiert") == "pausiert"
