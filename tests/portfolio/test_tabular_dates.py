"""Dates in German and ISO notation and XLSX date cells parse to dates, or fail with CellError."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.portfolio.tabular import CellError, format_date, parse_date


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31.12.2021", datetime.date(2021, 12, 31)),
        ("1.2.2021", datetime.date(2021, 2, 1)),
        ("2021-12-31", datetime.date(2021, 12, 31)),
        (" 31.12.2021 ", datetime.date(2021, 12, 31)),
        (datetime.datetime(2021, 12, 31, 0, 0), datetime.date(2021, 12, 31)),  # XLSX date cell
        (datetime.date(2021, 12, 31), datetime.date(2021, 12, 31)),
    ],
)
def test_accepts_german_iso_and_xlsx_dates(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31.02.2021", "kein gültiges Datum"),
        ("12/31/2021", "kein Datum"),
        ("31.12.21", "kein Datum"),  # two-digit years are guesses
        ("morgen", "kein Datum"),
        (44561, "eine Zahl"),  # an Excel serial number in an unformatted cell
    ],
)
def test_rejects_other_notations_with_reason(cell, reason):
    with pytest.raises(CellError, match=reason):
        parse_date(cell)


@given(st.dates())
def test_german_formatted_date_parses_back_to_itself(date):
    assert parse_date(format_date(date)) == date


@given(st.dates())
def test_iso_date_parses_back_to_itself(date):
    assert parse_date(date.isoformat()) == date


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans()))
def test_garbage_raises_only_the_parsers_own_error(value):
    try:
        result = parse_date(value)
    except CellError:
        return
    assert result is None or isinstance(result, datetime.date)
