"""Rendering of Open311 GeoReport v2 documents as JSON and XML (UTF-8), and W3C datetimes.

The JSON form follows the Spark convention of the specification: a document whose XML root holds a list
(`<services><service>…`) is a JSON array at the top level; a document with a single root object
(`<service_definition>`, `<discovery>`) is a JSON object. Inside, a list is written in XML as an element
named after the list holding one element per item, named by `ITEM_NAMES` (`<attributes><attribute>…`).

The XML is written by a tiny string writer (no dependency, about ten times faster than building an
ElementTree for 1000 requests). Characters that XML 1.0 cannot carry (control characters, lone surrogates)
are dropped from text, so any stored description still yields a well-formed document.
"""

import datetime
import json
import re
from collections.abc import Callable
from xml.sax.saxutils import escape

import orjson
from django.http import HttpResponse
from django.utils import timezone

from stadtdigital.core.localtimes import span_parts

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
MIME_TYPES = {"json": "application/json", "xml": "text/xml"}

# List element -> element name of each item.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "media_urls": "media_url",
    "status_history": "status_change",
}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def w3c_datetime(value: datetime.datetime | None, tz=None) -> str | None:
    """ISO 8601 / W3C datetime with the offset of the server's time zone, e.g. 2024-05-01T10:00:00+02:00.

    Pass `tz` (timezone.get_current_timezone()) when formatting many values: looking it up costs more
    than the conversion."""
    if value is None:
        return None
    return value.astimezone(tz or timezone.get_current_timezone()).isoformat(timespec="seconds")


_MINUTES_SECONDS = tuple(f":{minute:02d}:{second:02d}" for minute in range(60) for second in range(60))


# Per time zone: UTC hour -> (local date and hour, offset), or None where the hour's offset changes.
_LOCAL_HOURS: dict[datetime.tzinfo, dict[int, tuple[str, str] | None]] = {}


def epoch_formatter(tz) -> Callable[[int | None], str | None]:
    """A function turning whole seconds since 1970 (core.db.EpochSeconds) into a W3C datetime in `tz` like
    `w3c_datetime`; None stays None. A page of 1000 requests has three datetimes each, and converting every
    value through `datetime` was a sixth of the page's time.

    Within one UTC hour the offset of a zone with whole-hour offsets does not change, so each hour's local
    date and hour and its offset are computed once per process, and minutes and seconds are copied from a
    table. Hours in which the offset changes (or zones with offsets of fractions of an hour) are converted
    value by value. Memory: one entry per distinct hour seen (17,520 for two years), cleared past 200,000.
    """
    hours = _LOCAL_HOURS.setdefault(tz, {})

    def learn(hour: int) -> tuple[str, str] | None:
        if len(hours) > 200_000:  # 23 years of hours: a guard, not a working size
            hours.clear()
        start = datetime.datetime.fromtimestamp(hour * 3600, datetime.UTC)
        hours[hour] = span_parts(start, tz, 3600, 13)
        return hours[hour]

    def format_epoch(seconds: int | None) -> str | None:
        if seconds is None:
            return None
        hour, within = divmod(seconds, 3600)
        try:
            parts = hours[hour]
        except KeyError:
            parts = learn(hour)
        if parts is None:
            return datetime.datetime.fromtimestamp(seconds, tz).isoformat(timespec="seconds")
        return parts[0] + _MINUTES_SECONDS[within] + parts[1]

    return format_epoch


# Text that needs no change in XML: nothing to escape, nothing XML cannot carry (the common case).
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return escape(_NOT_XML.sub("", value)) if _XML_SPECIAL.search(value) else value
    return str(value)


def _write(out: list, name: str, value) -> None:
    if value is None or value == "":
        out.append(f"<{name}></{name}>")
    elif isinstance(value, dict):
        append = out.append
        append(f"<{name}>")
        for key, child in value.items():
            # Texts and numbers inline: most of a list document's elements; half the time of 1000 requests.
            kind = type(child)
            if kind is str and child:
                if _XML_SPECIAL.search(child):
                    child = escape(_NOT_XML.sub("", child))
                append(f"<{key}>{child}</{key}>")
            elif kind is int or kind is float:
                append(f"<{key}>{child}</{key}>")
            else:
                _write(out, key, child)
        append(f"</{name}>")
    elif isinstance(value, (list, tuple)):
        item = ITEM_NAMES.get(name, "item")
        out.append(f"<{name}>")
        for child in value:
            _write(out, item, child)
        out.append(f"</{name}>")
    else:
        out.append(f"<{name}>{_text(value)}</{name}>")


def to_xml(root: str, data) -> bytes:
    """`data` (a list for list documents, a dict for single-object documents) under the element `root`."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _write(out, root, data)
    return "".join(out).encode("utf-8")


def to_json(data) -> bytes:
    """Compact UTF-8 JSON. orjson writes a 1000-row page ten times faster than the json module; a text that
    UTF-8 cannot carry (a lone surrogate) makes it refuse, and the json module then writes it replaced."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))
