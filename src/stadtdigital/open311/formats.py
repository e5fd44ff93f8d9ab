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
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

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


def w3c_from_epoch(seconds: int | None, tz) -> str | None:
    """Like w3c_datetime, for whole seconds since 1970 (core.db.EpochSeconds)."""
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, tz).isoformat(timespec="seconds")


def _text(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    text = value if isinstance(value, str) else str(value)
    return escape(_NOT_XML.sub("", text))


def _write(out: list, name: str, value) -> None:
    if value is None or value == "":
        out.append(f"<{name}></{name}>")
    elif isinstance(value, dict):
        out.append(f"<{name}>")
        for key, child in value.items():
            _write(out, key, child)
        out.append(f"</{name}>")
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
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))
