from decimal import Decimal

from django.utils import translation

from stadtdigital.core.templatetags.formatting import euro, number


def test_money_in_german_by_default():
    with translation.override("de"):
        assert euro(Decimal("13500000.5")) == "13.500.000,50\u00a0€"
        assert euro(None) == ""
        assert number(Decimal("1200.00")) == "1.200"
        assert number(Decimal("1234.5")) == "1.234,50"


def test_money_in_english_for_english_readers():
    with translation.override("en"):
        assert euro(Decimal("13500000.5")) == "€13,500,000.50"
        assert euro(Decimal("-12.345")) == "-€12.35"
        assert number(Decimal("1200")) == "1,200"
