"""Streaming writers: turn rows into the bytes of a CSV, JSON, GeoJSON or XLSX file, chunk by chunk.

Every writer consumes its rows lazily and yields chunks of roughly CHUNK_ROWS rows, so a download of a
million rows needs no more memory than a download of ten. Values must already be plain (str, int, float,
bool, None; Decimal and dates are written as their ISO text). `progress` is called with the rows written.
"""

import datetime
import decimal
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence

from stadtdigital.core import csvfiles
from stadtdigital.core.localtimes import span_parts
from stadtdigital.opendata.registry import Progress

CHUNK_ROWS = 2000


class IrregularSpan(Exception):
    """The offset of the time zone changes within the span of a LocalTimes key (see LocalTimes.finer)."""


class LocalTimes(dict):
    """UTC text prefix -> (local text of that prefix, UTC offset text): the parts that turn UTC text
    `YYYY-MM-DD HH:MM:SS` into local ISO 8601 when the rest of the text is copied between them:

        head, tail = times[utc[:times.size]]
        local = f"{head}{utc[times.size:19]}{tail}"   # 2024-05-01 08:12:34 -> 2024-05-01T10:12:34+02:00

    A million rows carry three million datetimes, and converting each through `datetime` would cost more
    than the rest of the row; within a key's span the offset does not change, so the local text of the
    span is computed once and minutes and seconds are copied: one dict look-up per value, written inline
    in a row's f-string (no call per value). Keys are hours (size 13) as long as the
    zone's offset is constant within an hour and a whole number of hours; otherwise looking up the key
    raises IrregularSpan and the caller continues with `finer()` (minutes, then seconds, which are always
    regular). One entry per distinct key of the data: 17,520 for two years of hours.
    """

    _SPANS = {13: 3600, 16: 60, 19: 1}
    _PADDING = {13: ":00:00", 16: ":00", 19: ""}

    def __init__(self, tz: datetime.tzinfo, size: int = 13):
        super().__init__()
        self.tz, self.size = tz, size

    def finer(self) -> "LocalTimes":
        """Moves to the next finer keys (minutes, then seconds), in place: whoever holds this object (a
        whole download's formatter) keeps the finer keys; returns itself."""
        self.clear()
        self.size = {13: 16, 16: 19}[self.size]
        return self

    def __missing__(self, prefix: str) -> tuple[str, str]:
        if len(self) > 500_000:  # 57 years of hours: a guard, not a working size
            self.clear()
        text = prefix[:10] + " " + prefix[11:] + self._PADDING[self.size]
        start = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)
        parts = span_parts(start, self.tz, self._SPANS[self.size], self.size)
        if parts is None:
            raise IrregularSpan(prefix)
        self[prefix] = parts
        return parts


def _batches(rows: Iterable) -> Iterator[list]:
    return csvfiles.batches(rows, CHUNK_ROWS)  # CHUNK_ROWS read per call, so tests can make chunks small


# CSV is written by the project's one CSV module (core.csvfiles); these names are its open data dialect.
csv_cell = csvfiles.cell
csv_line = csvfiles.line


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence], progress: Progress | None = None
) -> Iterator[bytes]:
    """RFC 4180 CSV (core.csvfiles.chunks), in chunks of CHUNK_ROWS rows."""
    return csvfiles.text_chunks(
        header, ([csv_line(row) for row in batch] for batch in _batches(rows)), progress
    )


csv_text_chunks = csvfiles.text_chunks
# A batch already encoded (a stored rendering), accepted by the *_text_chunks writers.
Encoded = csvfiles.Encoded
csv_records_bytes = csvfiles.records_bytes


def geojson_features_bytes(features: list[str]) -> bytes:
    """The batch of features as `geojson_text_chunks` writes it (joined by commas), for an `Encoded`."""
    return ",".join(features).encode("utf-8")


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_encode = json.JSONEncoder(ensure_ascii=False, default=_plain, separators=(",", ":")).encode
_encode_string = json.encoder.encode_basestring


def json_chunks(
    objects: Iterable[dict], progress: Progress | None = None, *, prefix: str = "[", suffix: str = "]"
) -> Iterator[bytes]:
    """A JSON array of objects (or, with prefix/suffix, an array inside a larger document)."""
    yield prefix.encode("utf-8")
    written = 0
    for batch in _batches(objects):
        text = _encode(batch)[
            1:-1
        ]  # one call per batch: the encoder's per-call cost is per batch, not per row
        yield (("," if written else "") + text).encode("utf-8")
        written += len(batch)
        if progress:
            progress(written)
    yield (suffix + "\n").encode("utf-8")


def geojson_chunks(
    features: Iterable[tuple[float | None, float | None, dict]],
    progress: Progress | None = None,
    *,
    collection_properties: dict | None = None,
) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection of points from (longitude, latitude, properties) triples.

    A feature without coordinates gets `"geometry": null`, which RFC 7946 allows.
    """

    def feature(item):
        lon, lat, properties = item
        geometry = None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]}
        return {"type": "Feature", "geometry": geometry, "properties": properties}

    head = '{"type":"FeatureCollection",'
    if collection_properties:
        head += f'"properties":{_encode(collection_properties)},'
    yield from json_chunks(
        (feature(item) for item in features), progress, prefix=head + '"features":[', suffix="]}"
    )


# A string as JSON text, quotes included, non-ASCII kept: the json module's C encoder itself, called
# directly (a Python wrapper around it cost a third of its time in the GeoJSON export).
json_string: Callable[[str], str] = _encode_string


def geojson_text_chunks(
    batches: Iterable[Sequence[str] | Encoded],
    progress: Progress | None = None,
    *,
    collection_properties: dict | None = None,
) -> Iterator[bytes]:
    """Like `geojson_chunks`, for features that are already JSON text (`json_string` quotes a string),
    delivered in batches (one chunk each): for exports that format a feature faster in one string than
    through a dict and the encoder. A batch may also be `Encoded` (`geojson_features_bytes`)."""
    head = '{"type":"FeatureCollection",'
    if collection_properties:
        head += f'"properties":{_encode(collection_properties)},'
    yield (head + '"features":[').encode("utf-8")
    written = 0
    for features in batches:
        if features.__class__ is Encoded:
            if not features.rows:
                continue
            if written:
                yield b","
            yield features.data
            written += features.rows
        elif not features:
            continue
        else:
            yield (("," if written else "") + ",".join(features)).encode("utf-8")
            written += len(features)
        if progress:
            progress(written)
    yield b"]}\n"


def xlsx_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence],
    progress: Progress | None = None,
    *,
    sheet_title: str = "Daten",
    modified: datetime.datetime | None = None,
) -> Iterator[bytes]:
    """An XLSX workbook with one sheet; openpyxl's write-only mode keeps memory flat, the file is spooled.

    The same rows give the same bytes (one strong ETag, a true dcat:byteSize): the document's created and
    modified dates and every zip entry's time are `modified` (the data's last change), never the time of
    writing, which openpyxl and zipfile would use."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    stamp = _xlsx_stamp(modified)
    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = stamp
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    written = 0
    for row in rows:
        sheet.append(
            [_xlsx_value(sheet, value) for value in row]
        )  # Decimal and dates: numeric and date cells
        written += 1
        if progress and written % CHUNK_ROWS == 0:
            progress(written)
    if progress:
        progress(written)
    with (
        tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool,
        tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as stamped,
    ):
        workbook.save(spool)
        spool.seek(0)
        restamp_zip(spool, stamped, stamp)
        stamped.seek(0)
        while chunk := stamped.read(256 * 1024):
            yield chunk


_ZIP_EPOCH = datetime.datetime(1980, 1, 1)  # the earliest time a zip entry can hold


def _xlsx_stamp(modified: datetime.datetime | None) -> datetime.datetime:
    """`modified` as naive UTC (what openpyxl writes as W3CDTF), the zip epoch when there is none."""
    if modified is None:
        return _ZIP_EPOCH
    if modified.tzinfo is not None:
        modified = modified.astimezone(datetime.UTC).replace(tzinfo=None)
    return max(modified.replace(microsecond=0), _ZIP_EPOCH)


_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def restamp_zip(source, target, stamp: datetime.datetime) -> None:
    """Copies the XLSX (zip) archive `source` to `target` with every entry dated `stamp` (same order, same
    compression), and `stamp` as the document's modified date: zipfile dates entries with the time of
    writing, and openpyxl's save sets the modified date to it, whatever the workbook said."""
    import zipfile

    w3c = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            data = old.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_MODIFIED.sub(rb"\g<1>" + w3c + rb"\g<2>", data)
            new.writestr(entry, data)


def _xlsx_value(sheet, value):
    """A value as openpyxl should store it. Text is always text, protected like every CSV cell
    (core.csvfiles.protect_formula): openpyxl would make a formula of text that starts with "=" (a citizen's
    "=HYPERLINK(...)" must not run in someone's spreadsheet), and a spreadsheet a formula of text that starts
    with "+", "-" or "@" when a user edits the cell. openpyxl refuses control
    characters, which XML cannot hold, half-way through the sheet. Excel has no time zones, so an aware
    datetime is written as its ISO text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value.__class__ is str:
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        value = csvfiles.protect_formula(value)
        if value.startswith("'"):  # stored as text, never as a formula
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.isoformat()
    return value
