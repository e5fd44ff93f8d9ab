"""Amounts and KPI numbers in German and plain notation parse to exact Decimals, or fail with CellError."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.core.numbers import format_compact_de, format_decimal_de
from stadtdigital.portfolio.tabular import CellError, parse_amount, parse_number

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False)
kpi_values = st.decimals(
    min_value=Decimal("-99999999999999.99"), max_value=Decimal("99999999999999.99"), places=2, allow_nan=False
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13.500.000,00", Decimal("13500000.00")),
        ("1.234,5", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("1234,50", Decimal("1234.50")),
        ("1234", Decimal("1234.00")),
        ("1.234.567", Decimal("1234567.00")),
        ("1,234.56", Decimal("1234.56")),
        ("13 500 000,00", Decimal("13500000.00")),
        ("13\u00a0500,00 €", Decimal("13500.00")),
        ("1.234,50 EUR", Decimal("1234.50")),
        ("€ 99", Decimal("99.00")),
        ("0,5", Decimal("0.50")),
        ("1.500,000", Decimal("1500.00")),  # trailing zeros are not cents
        ("  42  ", Decimal("42.00")),
    ],
)
def test_accepts_german_and_plain_amounts(text, expected):
    parsed = parse_amount(text)
    assert parsed == expected
    assert parsed.as_tuple().exponent == -2  # always cents, as the database stores them


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("13,5 Mio", "ist kein Betrag"),
        ("1.234", "mehrdeutig"),  # 1234 in German, 1.234 in English
        ("1,234", "mehrdeutig"),
        ("12,345", "mehrdeutig"),
        ("0,125", "mehr als zwei Nachkommastellen"),
        ("1234.567", "mehr als zwei Nachkommastellen"),
        ("-5,00", "negativ"),
        ("1.23.456", "ist kein Betrag"),
        ("1e5", "ist kein Betrag"),
        ("NaN", "ist kein Betrag"),
        ("1000000000000", "zu groß"),
    ],
)
def test_rejects_unclear_amounts_with_reason(text, reason):
    with pytest.raises(CellError, match=reason):
        parse_amount(text)


def test_blank_cell_is_no_amount():
    assert parse_amount("") is None
    assert parse_amount(None) is None
    assert parse_amount("   ") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (13500000, Decimal("13500000.00")),
        (1234.5, Decimal("1234.50")),
        (0.1, Decimal("0.10")),  # never Decimal(0.1) = 0.1000000000000000055...
        (1234.5600000000001, Decimal("1234.56")),  # binary artefact of Excel arithmetic
        (123456789012.34, Decimal("123456789012.34")),
    ],
)
def test_numeric_xlsx_cells_become_exact_cents(cell, expected):
    assert parse_amount(cell) == expected


def test_numeric_xlsx_cell_with_real_fraction_of_a_cent_is_rejected():
    with pytest.raises(CellError, match="mehr als zwei Nachkommastellen"):
        parse_amount(1234.567)


def test_kpi_numbers_may_be_negative():
    assert parse_number("-1,5") == Decimal("-1.50")
    with pytest.raises(CellError, match="keine Zahl"):
        parse_number("viele")


@given(amounts)
def test_german_formatted_amount_parses_back_to_itself(amount):
    assert parse_amount(format_decimal_de(amount, 2)) == amount


@given(amounts)
def test_plain_dot_notation_parses_back_to_itself(amount):
    assert parse_amount(f"{amount:.2f}") == amount


@given(amounts)
def test_numeric_cell_of_any_amount_parses_back_to_itself(amount):
    # What openpyxl hands us for an exported numeric cell: a float.
    assert parse_amount(float(amount)) == amount


@given(kpi_values)
def test_formatted_kpi_number_parses_back_to_itself(value):
    assert parse_number(format_compact_de(value, group_sep="")) == value


@given(st.text(max_size=40))
def test_garbage_raises_only_the_parsers_own_error(text):
    for parse in (parse_amount, parse_number):
        try:
            result = parse(text)
        except CellError:
            continue
        assert result is None or isinstance(result, Decimal)


@given(st.one_of(st.floats(), st.integers(), st.booleans(), st.dates(), st.datetimes()))
def test_any_xlsx_cell_value_raises_only_the_parsers_own_error(value):
    try:
        result = parse_amount(value)
    except CellError:
        return
    assert isinstance(result, Decimal)
    assert result == result.quantize(Decimal("0.01"))
