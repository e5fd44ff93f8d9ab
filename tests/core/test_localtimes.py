"""core.localtimes.span_parts: the local parts of a span of time, or None where they do not exist."""

import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.core.localtimes import span_parts

BERLIN, KOLKATA = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata")
UTC = datetime.UTC


def test_an_hour_of_a_whole_hour_offset():
    start = datetime.datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert span_parts(start, BERLIN, 3600, 13) == ("2024-05-01T10", "+02:00")


def test_the_hour_in_which_the_clocks_change_has_none():
    # 2024-03-31 01:00 UTC is 03:00 CEST; the hour before it begins at 01:00 CET.
    assert span_parts(datetime.datetime(2024, 3, 31, 0, tzinfo=UTC), BERLIN, 3600, 13) == (
        "2024-03-31T01",
        "+01:00",
    )
    assert span_parts(datetime.datetime(2024, 3, 31, 1, tzinfo=UTC), BERLIN, 3600, 13) == (
        "2024-03-31T03",
        "+02:00",
    )
    assert span_parts(datetime.datetime(2024, 3, 31, 0, 30, tzinfo=UTC), BERLIN, 3600, 13) is None


def test_a_half_hour_offset_has_no_hours_but_minutes():
    start = datetime.datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert span_parts(start, KOLKATA, 3600, 13) is None
    assert span_parts(start, KOLKATA, 60, 16) == ("2024-05-01T13:30", "+05:30")


@given(
    st.datetimes(min_value=datetime.datetime(1971, 1, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.sampled_from(
        [ZoneInfo("Europe/Berlin"), ZoneInfo("America/St_Johns"), ZoneInfo("Australia/Lord_Howe")]
    ),
)
def test_parts_with_copied_minutes_and_seconds_are_the_local_datetime(moment, tz):
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    for span, head in ((3600, 13), (60, 16), (1, 19)):
        start = moment - datetime.timedelta(seconds=moment.timestamp() % span)
        parts = span_parts(start, tz, span, head)
        if parts is None:
            assert span > 1
            continue
        utc_text = moment.isoformat(sep=" ")
        assert parts[0] + utc_text[head:19] + parts[1] == moment.astimezone(tz).isoformat(timespec="seconds")
