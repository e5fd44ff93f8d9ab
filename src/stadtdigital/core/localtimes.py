"""Local ISO 8601 datetimes without a `datetime` per value: the one routine behind the Open311 datetimes
(`open311.formats.epoch_formatter`) and the open data ones (`opendata.writers.LocalTimes`).

Within a span of time in which a zone's UTC offset does not change, a local datetime is the local text of
the span's start, the minutes and seconds copied from the UTC value, and the offset. Both callers compute
the parts of a span once (`span_parts`) and keep them per span; a span in which the offset changes, or an
offset that is not a whole number of spans (India's +05:30 for hours), has no such parts.
"""

import datetime


def span_parts(start: datetime.datetime, tz: datetime.tzinfo, span: int, head: int) -> tuple[str, str] | None:
    """For the `span` seconds from `start` (aware, UTC): (the local text of `start` up to its `head`-th
    character, the offset text), e.g. ("2024-05-01T10", "+02:00") for an hour (span 3600, head 13); None if
    the zone's offset changes within the span or is not a whole number of spans."""
    first = start.astimezone(tz)
    offset = first.utcoffset()
    if span > 1 and (
        offset != (start + datetime.timedelta(seconds=span - 1)).astimezone(tz).utcoffset()
        or offset.total_seconds() % span
    ):
        return None
    text = first.isoformat(timespec="seconds")  # 2024-05-01T10:00:00+02:00
    return text[:head], text[19:]
