"""Parsing of Open311 query parameters. Every bad value raises `BadRequest` naming the parameter.

"Optional" as the spec defines it: an empty parameter is the same as an absent one. A parameter given more
than once (`?status=open&status=closed`) is never silently cut to its last value: list parameters take all
values as if comma-separated (`text_list`), every other parameter answers 400 (`text`).
"""

import datetime
import math
import re

from django.conf import settings
from django.utils import timezone

from stadtdigital.open311.errors import BadRequest, NotFound
from stadtdigital.reports.models import State
from stadtdigital.reports.selectors import clusters

MAX_SPAN = datetime.timedelta(days=90)
MAX_LIST = 1000  # items in a comma list (service_request_id, service_code)
MAX_ID = 2**63 - 1
MAX_VALUE_LENGTH = 2000
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC)
MAX_RADIUS_M = 50_000
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STATUS_VALUES = {"open", "closed", *State.values}


def check_query(query) -> None:
    """No NUL bytes or absurdly long values anywhere in the query string."""
    for name, values in query.lists():
        if "\x00" in name:
            raise BadRequest("A parameter name contains a NUL byte.")
        for value in values:
            if "\x00" in value:
                raise BadRequest(f"{name} contains a NUL byte.")
            if len(value) > MAX_VALUE_LENGTH and name != "service_request_id":
                raise BadRequest(f"{name} is too long (at most {MAX_VALUE_LENGTH} characters).")


def text(query, name: str) -> str | None:
    """One value; the same parameter with different values is a 400 naming it."""
    values = {value.strip() for value in query.getlist(name)} - {""}
    if len(values) > 1:
        raise BadRequest(f"{name} was given more than once with different values; give it once.")
    return values.pop() if values else None


def text_list(query, name: str) -> str | None:
    """A comma-separated list parameter; repeated (`?status=open&status=closed`) it is the same as
    `?status=open,closed`."""
    value = ",".join(value.strip() for value in query.getlist(name) if value.strip())
    return value or None


def w3c_datetime(name: str, value: str | None) -> datetime.datetime | None:
    """A W3C datetime (2010-01-01T00:00:00Z, with an offset, or a date); without a zone: server time."""
    if value is None:
        return None
    try:
        if _DATE_ONLY.match(value):
            parsed = datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time.min)
        else:
            if len(value) < 16 or value[10] not in "Tt ":
                raise ValueError
            parsed = datetime.datetime.fromisoformat(value.replace("z", "Z"))
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
    except (ValueError, OverflowError, IndexError):
        raise BadRequest(
            f"{name} must be a W3C datetime such as 2010-01-01T00:00:00Z or 2010-01-01T00:00:00+01:00."
        ) from None
    if not EARLIEST <= parsed <= LATEST:
        raise BadRequest(f"{name} must lie between the years 1900 and 2999.")
    return parsed


def date_window(start, end, now=None) -> tuple[datetime.datetime, datetime.datetime]:
    """start_date/end_date as the spec says: at most 90 days; without either, the most recent 90 days;
    with one of them, 90 days from (or up to) it."""
    if start is None and end is None:
        end = now or timezone.now()
        return end - MAX_SPAN, end
    if start is None:
        return end - MAX_SPAN, end
    if end is None:
        return start, start + MAX_SPAN
    if end < start:
        raise BadRequest("end_date must not be before start_date.")
    if end - start > MAX_SPAN:
        raise BadRequest("start_date and end_date may not span more than 90 days.")
    return start, end


def integer(name: str, value: str | None, minimum: int, maximum: int, default: int) -> int:
    if value is None:
        return default
    try:
        number = int(value) if len(value) <= 20 else None
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise BadRequest(f"{name} must be a whole number from {minimum} to {maximum}.")
    return number


def number(name: str, value: str | None, minimum: float, maximum: float) -> float | None:
    if value is None:
        return None
    try:
        result = float(value)
    except ValueError:
        result = math.nan
    if not math.isfinite(result) or not minimum <= result <= maximum:
        raise BadRequest(f"{name} must be a number from {minimum:g} to {maximum:g}.")
    return result


def request_id(name: str, value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 19 or not 0 < int(value) <= MAX_ID:
        raise BadRequest(f"{name} must be a positive whole number.")
    return int(value)


def id_list(name: str, value: str | None) -> list[int] | None:
    if value is None:
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts:
        return None
    if len(parts) > MAX_LIST:
        raise BadRequest(f"{name}: at most {MAX_LIST} ids at once.")
    return [request_id(name, part) for part in parts]


def code_list(name: str, value: str | None) -> list[str] | None:
    if value is None:
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if len(parts) > MAX_LIST:
        raise BadRequest(f"{name}: at most {MAX_LIST} codes at once.")
    return parts or None


def status_list(value: str | None) -> set[str] | None:
    if value is None:
        return None
    parts = {part.strip().lower() for part in value.split(",") if part.strip()}
    unknown = parts - STATUS_VALUES
    if unknown:
        raise BadRequest(
            "status must be open, closed or a detailed status ("
            + ", ".join(State.values)
            + "), comma separated."
        )
    return parts or None


def bbox(value: str | None) -> clusters.BBox | None:
    """`bbox=west,south,east,north` (longitude first, as Mark-a-Spot, GeoJSON and OGC APIs write it)."""
    if value is None:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BadRequest("bbox needs four numbers: west,south,east,north (longitude, latitude).")
    west, south, east, north = (part.strip() for part in parts)
    try:
        return clusters.parse_bbox(",".join((south, west, north, east)))
    except clusters.MapQueryError:
        raise BadRequest(
            "bbox must be west,south,east,north in WGS84 degrees, with west < east and south < north."
        ) from None


def flag(name: str, value: str | None) -> bool:
    if value is None:
        return False
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise BadRequest(f"{name} must be true or false.")


def jurisdictions() -> list[str]:
    return [str(item) for item in settings.OPEN311_JURISDICTIONS]


def check_jurisdiction(query, *, required: bool = True) -> None:
    """Required only where more than one jurisdiction is configured (never for discovery, which the spec
    defines without one); an unknown one is 404. GET and POST (write.post_request) check it alike."""
    known = jurisdictions()
    given = text(query, "jurisdiction_id")
    if given is None:
        if required and len(known) > 1:
            raise BadRequest("jurisdiction_id was not provided (one of: " + ", ".join(known) + ").")
        return
    if known and given not in known:
        raise NotFound("jurisdiction_id not found: this server serves " + ", ".join(known) + ".")
