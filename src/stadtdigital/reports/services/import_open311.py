"""Moving in from another Open311 GeoReport v2 server (`stadtdigital reports import-open311`).

Reads service requests by URL (date windows of at most 90 days, the spec's limit, each paged with `page`
where the server offers it; `extensions=true` for status history and media URLs) or from saved JSON/XML
responses, maps service codes to our categories (the same code on both sides maps by itself; the rest
through a mapping file {"their code": "our code"}; a dry run writes a template for the unmapped ones),
and stores each request as a public report with its status, dates, address, location, public notes and
media URLs (recorded, never fetched). Idempotent on (source, service_request_id) via ImportedRequest.

Imports are history, not new reports: no confirmation mails, no alerts, no sending, no rate limit; the
reporter's personal data is not part of Open311 output and so never imported. Coordinates and category
are checked as on intake; a request with neither a place nor a known category is skipped with its reason.
"""

import datetime
import json
import math
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from stadtdigital.reports.models import (
    OPEN_STATES,
    Category,
    Event,
    EventKind,
    ImportedRequest,
    Report,
    Source,
    State,
    Visibility,
)
from stadtdigital.reports.sending.statusback import STATUS_MAP

WINDOW = datetime.timedelta(days=90)
LEADING_ZERO = re.compile(r"(:\s*)(-?0\d+)(?=\s*[,}\]])")


class ImportError_(ValueError):  # noqa: N801 - not the builtin
    pass


@dataclass
class Summary:
    read: int = 0
    imported: int = 0
    already: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    unmapped: Counter = field(default_factory=Counter)  # their service code -> count
    mapped: Counter = field(default_factory=Counter)  # "their -> ours" -> count
    names: dict = field(default_factory=dict)  # their service code -> service name


# --- reading ---------------------------------------------------------------------------------------------


def parse_document(text: str) -> list[dict]:
    """Service requests from a saved JSON or XML response (GeoReport v2 `requests`)."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        try:
            root = ElementTree.fromstring(stripped.encode())
        except ElementTree.ParseError as exc:
            raise ImportError_(f"kein gültiges XML: {exc}") from exc
        rows = []
        for request in root.iter("request"):
            row = {child.tag: (child.text or "").strip() for child in request if len(child) == 0}
            rows.append(row)
        return rows
    try:
        data = json.loads(stripped)
    except ValueError:
        # The spec's own JSON example has numbers with leading zeros ("service_code":006): invalid JSON,
        # read as the strings the XML tab shows.
        try:
            data = json.loads(LEADING_ZERO.sub(r'\1"\2"', stripped))
        except ValueError as exc:
            raise ImportError_(f"kein gültiges JSON: {exc}") from exc
    if isinstance(data, dict):
        # FixMyStreet: {"requests": [{"request": [...]}]}; others wrap the list in one key.
        data = data.get("service_requests") or data.get("requests") or [data]
        if data and isinstance(data[0], dict) and isinstance(data[0].get("request"), list):
            data = [row for wrapper in data for row in wrapper.get("request") or []]
    if not isinstance(data, list):
        raise ImportError_("erwartet eine Liste von Service Requests")
    return [row for row in data if isinstance(row, dict)]


def read_url(base: str, *, api_key="", jurisdiction="", start=None, end=None, get_json=None, on_window=None):
    """Yields pages (lists of requests) from the server: each 90-day window of [start, end], paged.
    `on_window(done, total)` is called after each window (the command's progress)."""
    from stadtdigital.reports.sending.http import get_json as http_get_json

    get_json = get_json or http_get_json
    base = base.rstrip("/")
    common = {"extensions": "true"}
    if api_key:
        common["api_key"] = api_key
    if jurisdiction:
        common["jurisdiction_id"] = jurisdiction
    windows = [(None, None)]
    if start or end:
        # In UTC: wall-clock arithmetic across a DST change would make a window 90 days and an hour long.
        end = (end or timezone.now()).astimezone(datetime.UTC)
        start = (start or end - WINDOW).astimezone(datetime.UTC)
        windows, cursor = [], start
        while cursor < end:
            windows.append((cursor, min(cursor + WINDOW, end)))
            cursor += WINDOW
    for done, (window_start, window_end) in enumerate(windows, start=1):
        params = dict(common)
        if window_start:
            params["start_date"] = window_start.isoformat()
            params["end_date"] = window_end.isoformat()
        seen_first = None
        for page in range(1, 100_000):
            rows = get_json(f"{base}/requests.json", {**params, "page": page, "page_size": 1000})
            rows = rows if isinstance(rows, list) else []
            first = rows[0].get("service_request_id") if rows and isinstance(rows[0], dict) else None
            if not rows or first == seen_first:  # empty, or the server ignores `page`
                break
            seen_first = first
            yield [row for row in rows if isinstance(row, dict)]
            if len(rows) < 1000:
                break
        if on_window is not None:
            on_window(done, len(windows))


# --- mapping and storing ---------------------------------------------------------------------------------


def load_mapping(path) -> dict[str, str]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportError_(f"Zuordnungsdatei {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ImportError_(f'Zuordnungsdatei {path}: erwartet {{"ihr-code": "unser-code", ...}}')
    return {str(k): v for k, v in data.items()}


def _state(row: dict) -> str:
    detailed = str((row.get("extended_attributes") or {}).get("detailed_status") or "")
    if detailed in State.values:
        return detailed
    status = str(row.get("status") or "open").strip().lower()
    if status in STATUS_MAP and STATUS_MAP[status] is not None:
        return STATUS_MAP[status]
    return State.FIXED if status == "closed" else State.RECEIVED


def _datetime(value):
    if not value:
        return None
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _float(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class Importer:
    def __init__(self, *, source: str, mapping: dict[str, str], dry_run: bool = False):
        self.source = source[:200]
        self.mapping = mapping
        self.dry_run = dry_run
        self.categories = {c.code: c for c in Category.objects.select_related("department")}
        self.summary = Summary()

    def category_for(self, code: str):
        ours = self.mapping.get(code) or code
        return self.categories.get(ours)

    def add(self, rows: list[dict]) -> None:
        summary = self.summary
        summary.read += len(rows)
        ids = [str(row.get("service_request_id") or "") for row in rows]
        existing = set(
            ImportedRequest.objects.filter(
                source=self.source, external_id__in=[i for i in ids if i]
            ).values_list("external_id", flat=True)
        )
        to_store = []
        for row, external_id in zip(rows, ids, strict=True):
            code = str(row.get("service_code") or "")
            if code and row.get("service_name"):
                summary.names.setdefault(code, str(row["service_name"]))
            if not external_id:
                summary.skipped["ohne service_request_id"] += 1
                continue
            if external_id in existing:
                summary.already += 1
                continue
            category = self.category_for(code)
            if category is None:
                summary.unmapped[code or "(leer)"] += 1
                continue
            lat, lon = _float(row.get("lat")), _float(row.get("long"))
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                summary.skipped["ohne gültigen Ort (lat/long)"] += 1
                continue
            created = _datetime(row.get("requested_datetime"))
            if created is None:
                summary.skipped["ohne requested_datetime"] += 1
                continue
            summary.mapped[f"{code} -> {category.code}"] += 1
            existing.add(external_id)
            to_store.append((external_id, row, category, lat, lon, created))
        if not self.dry_run and to_store:
            with transaction.atomic():
                for item in to_store:
                    self._store(*item)
        summary.imported += len(to_store)

    def _store(self, external_id, row, category, lat, lon, created):
        state = _state(row)
        updated = _datetime(row.get("updated_datetime")) or created
        updated = max(updated, created)
        is_open = state in OPEN_STATES
        media = [str(row["media_url"])] if row.get("media_url") else []
        extended = row.get("extended_attributes") or {}
        media += [str(url) for url in extended.get("media_urls") or [] if str(url) not in media]
        report = Report.objects.create(
            category=category,
            department=category.department,
            state=state,
            is_open=is_open,
            visibility=Visibility.PUBLIC,
            description=str(row.get("description") or "")[:5000],
            lat=lat,
            lon=lon,
            address=str(row.get("address") or "")[:300],
            created_at=created,
            updated_at=updated,
            closed_at=None if is_open else updated,
            due_at=_datetime(row.get("expected_datetime")),
            source=Source.IMPORT,
        )
        ImportedRequest.objects.create(source=self.source, external_id=external_id[:200], report=report)
        events = [
            Event(
                report=report,
                created_at=created,
                kind=EventKind.CREATED,
                to_state=State.RECEIVED,
                is_public=True,
                data={
                    "source": Source.IMPORT,
                    "import": {"source": self.source, "id": external_id},
                    **({"media_urls": media} if media else {}),
                },
            )
        ]
        history = [h for h in extended.get("status_history") or [] if isinstance(h, dict)]
        previous = State.RECEIVED
        for entry in history:
            to_state = str(entry.get("detailed_status") or "")
            at = _datetime(entry.get("updated_datetime"))
            if to_state not in State.values or at is None or to_state == State.RECEIVED:
                continue
            events.append(_state_event(report, at, previous, to_state, entry.get("description")))
            previous = to_state
        if previous != state or (not history and row.get("status_notes")):
            events.append(_state_event(report, updated, previous, state, row.get("status_notes")))
        Event.objects.bulk_create(events)

    def template(self) -> dict[str, str]:
        """The mapping file's template: every unmapped code of the other server -> "" to fill in."""
        return dict.fromkeys(sorted(self.summary.unmapped), "")


def source_of(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    return f"{parsed.netloc}{parsed.path.rstrip('/')}"


def _state_event(report: Report, at, from_state: str, to_state: str, text) -> Event:
    """A public state change of the other system's history, as our event."""
    return Event(
        report=report,
        created_at=at,
        kind=EventKind.STATE,
        from_state=from_state,
        to_state=to_state,
        is_public=True,
        public_text=str(text or ""),
    )
