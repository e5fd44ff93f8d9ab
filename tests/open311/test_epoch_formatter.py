"""formats.epoch_formatter writes every second as datetime itself would (W3C, local offset), across
daylight-saving changes and in zones whose offsets are not whole hours."""

import datetime
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.open311.formats import epoch_formatter

ZONES = ["Europe/Berlin", "UTC", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe"]
# 1970 to 2100: the range of report dates and far beyond.
SECONDS = st.integers(min_value=0, max_value=4_102_444_800)


def reference(seconds, tz):
    return datetime.datetime.fromtimestamp(seconds, tz).isoformat(timespec="seconds")


@given(st.lists(SECONDS, min_size=1, max_size=50), st.sampled_from(ZONES))
def test_matches_datetime_for_any_seconds(values, zone):
    tz = zoneinfo.ZoneInfo(zone)
    local_time = epoch_formatter(tz)
    for seconds in values:
        assert local_time(seconds) == reference(seconds, tz)


def test_every_second_around_the_changes_of_berlin_time():
    tz = zoneinfo.ZoneInfo("Europe/Berlin")
    local_time = epoch_formatter(tz)
    spring = int(datetime.datetime(2024, 3, 31, 1, 0, tzinfo=datetime.UTC).timestamp())  # 02:00 -> 03:00
    autumn = int(datetime.datetime(2024, 10, 27, 1, 0, tzinfo=datetime.UTC).timestamp())  # 03:00 -> 02:00
    for change in (spring, autumn):
        for seconds in range(change - 3600, change + 3600, 7):
            assert local_time(seconds) == reference(seconds, tz)
    assert local_time(spring - 1) == "2024-03-31T01:59:59+01:00"
    assert local_time(spring) == "2024-03-31T03:00:00+02:00"
    assert local_time(autumn - 1) == "2024-10-27T02:59:59+02:00"
    assert local_time(autumn) == "2024-10-27T02:00:00+01:00"


def test_none_stays_none():
    assert epoch_formatter(datetime.UTC)(None) is None
