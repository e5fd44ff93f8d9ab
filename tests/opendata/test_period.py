"""The period parameters: YYYY-MM-DD or a clear error, never anything else; bounds in the city's time zone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stadtdigital.opendata.period import PeriodError, parse_period, period_bounds
from stadtdigital.opendata.registry import Period

BERLIN = ZoneInfo("Europe/Berlin")
dates = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))


@given(dates, dates)
def test_any_two_days_parse_to_the_period_or_say_the_start_is_late(start, end):
    if start > end:
        with pytest.raises(PeriodError, match="liegt nach end_date"):
            parse_period(start.isoformat(), end.isoformat())
    else:
        assert parse_period(f" {start.isoformat()} ", end.isoformat()) == Period(start, end)


@given(st.text(max_size=30))
@example("2024-W05-1")  # an ISO week date: date.fromisoformat takes it, the parameter does not
@example("２０２４-01-31")  # full-width digits
@example("2024-02-30")
@example("20240131")
@example("2024-01-31T10:00")
def test_any_text_is_a_day_or_a_period_error_naming_the_parameter(value):
    try:
        period = parse_period(value, None)
    except PeriodError as error:
        assert str(error).startswith("start_date: „")
    else:
        assert period.start is None if not value.strip() else period.start.isoformat() == value.strip()


def test_empty_parameters_are_the_whole_period():
    assert parse_period(None, "") == Period()
    assert not parse_period("  ", None)


def test_the_message_quotes_at_most_40_characters_of_the_value():
    with pytest.raises(PeriodError) as error:
        parse_period(None, "x" * 1000)

    assert (
        str(error.value)
        == f"end_date: „{'x' * 40}“ ist kein Datum im Format JJJJ-MM-TT (zum Beispiel 2024-01-31)."
    )


@pytest.mark.parametrize(
    ("day", "hours"),
    [(datetime.date(2024, 3, 31), 23), (datetime.date(2024, 10, 27), 25), (datetime.date(2024, 6, 1), 24)],
)
def test_bounds_run_from_midnight_to_midnight_local_time_also_on_dst_days(day, hours):
    start, end = period_bounds(Period(day, day))

    assert start == datetime.datetime.combine(day, datetime.time.min, tzinfo=BERLIN)
    # Aware datetimes of one zone subtract as wall times; the length of the day shows in UTC.
    assert end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(hours=hours)
    assert end.astimezone(BERLIN).time() == datetime.time.min


@given(dates, dates)
def test_bounds_never_overflow_and_cover_the_days(start, end):
    lower, upper = period_bounds(Period(start, end))

    if lower is not None:
        assert lower.astimezone(datetime.UTC).date() <= start
    if upper is not None:
        assert upper.astimezone(BERLIN).date() == end + datetime.timedelta(days=1)
    assert period_bounds(Period()) == (None, None)
