"""Streaming writers: turn rows into the bytes of a CSV, JSON, GeoJSON or XLSX file, chunk by chunk.

Every writer consumes its rows lazily and yields chunks of roughly CHUNK_ROWS rows, so a download of a
million rows needs no more memory than a download of ten. Values must already be plain (str, int, float,
bool, None; Decimal and dates are written as their ISO text). `progress` is called with the rows written.
"""

import csv
import datetime
import decimal
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from stadtdigital.opendata.registry import Progress

CHUNK_ROWS = 2000


def _batches(rows: Iterable, size: int = CHUNK_ROWS) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence], progress: Progress | None = None) -> Iterator[bytes]:
    """RFC 4180 CSV: comma, double quotes, CRLF, UTF-8 without BOM, one header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    written = 0
    for batch in _batches(rows):
        writer.writerows(batch)
        written += len(batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        if progress:
            progress(written)
    if written == 0:
        yield buffer.getvalue().encode("utf-8")


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_encode = json.JSONEncoder(ensure_ascii=False, default=_plain, separators=(",", ":")).encode


def json_chunks(objects: Iterable[dict], progress: Progress | None = None, *, prefix: str = "[", suffix: str = "]") -> Iterator[bytes]:
    """A JSON array of objects (or, with prefix/suffix, an array inside a larger document)."""
    yield prefix.encode("utf-8")
    written = 0
    for batch in _batches(objects):
        text = ",".join(_encode(obj) for obj in batch)
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


def xlsx_chunks(
    header: Sequence[str], rows: Iterable[Sequence], progress: Progress | None = None, *, sheet_title: str = "Daten"
) -> Iterator[bytes]:
    """An XLSX workbook with one sheet; openpyxl's write-only mode keeps memory flat, the file is spooled."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
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
        sheet.append(list(row))  # Decimal and dates become numeric and date cells
        written += 1
        if progress and written % CHUNK_ROWS == 0:
            progress(written)
    if progress:
        progress(written)
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(256 * 1024):
            yield chunk
