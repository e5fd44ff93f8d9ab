"""Every CSV the project writes, and the one protection of spreadsheet text cells (docs/decisions/0017).

Two dialects, nothing else:
- Open data (`chunks`, `text_chunks`): RFC 4180 (comma, double quotes only where needed, CRLF), UTF-8
  without BOM, one header row; values as the caller gives them (ISO dates, decimal point).
- German spreadsheet export (`german_bytes`): UTF-8 with BOM, semicolon, CRLF: what German Excel opens with
  a double click. Callers format numbers and dates the German way (core.numbers) before.

`protect_formula` guards every text cell of both, and of every XLSX the project writes: a spreadsheet runs
a cell that starts with =, +, -, @, a tab or a carriage return as a formula ("CSV injection"), so such text
gets a leading apostrophe, which spreadsheets show as text. A text that starts with an apostrophe gets one
more, so the protection can always be undone (`unprotect_formula`, the portfolio import) by removing exactly
one. Numbers (int, float, Decimal) are never text here and stay numbers, negative ones included.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_FORMULA_FIRST = frozenset("=+-@\t\r'")
CHUNK_ROWS = 2000  # rows per yielded chunk of the open data dialect

Progress = Callable[[int], None]


class Number(str):
    """Text that is a number in German notation ("-1250,50"): never protected, since a spreadsheet reads it
    as the number it is (the German dialect's numeric columns)."""


def protect_formula(text: str) -> str:
    """Text a spreadsheet cannot run as a formula: "=1+1" -> "'=1+1"; any other text unchanged."""
    return "'" + text if text and text[0] in _FORMULA_FIRST else text


def unprotect_formula(text: str) -> str:
    """The inverse of `protect_formula` (for reading our own exports back)."""
    return text[1:] if text.startswith("'") else text


def cell(value) -> str:
    """One value as RFC 4180 text: quoted only when it holds a comma, a quote or a line break (as the csv
    module's QUOTE_MINIMAL); text protected against formulas; None empty; dates ISO 8601; numbers as
    `str()`, never protected."""
    kind = value.__class__
    if kind is str:
        if value and value[0] in _FORMULA_FIRST:
            value = "'" + value
        if '"' in value or "," in value or "\n" in value or "\r" in value:
            return '"' + value.replace('"', '""') + '"'
        return value
    if kind is int or kind is float or kind is decimal.Decimal:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | decimal.Decimal):
        return str(value)
    return cell(str(value))


def line(row: Sequence) -> str:
    """One record without its line break. A record of one empty cell is written `""`, since readers skip
    empty lines."""
    if len(row) == 1:
        return cell(row[0]) or '""'
    return ",".join([cell(value) for value in row])


def batches(rows: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or CHUNK_ROWS
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def chunks(
    header: Sequence[str], rows: Iterable[Sequence], progress: Progress | None = None
) -> Iterator[bytes]:
    """Open data CSV: comma, double quotes, CRLF, UTF-8 without BOM, one header row.

    Cells are quoted in Python rather than by the csv module, whose writer copies every character through
    its state machine (7.5 µs for a row of the reports export, against 3 µs here).
    """
    return text_chunks(header, ([line(row) for row in batch] for batch in batches(rows)), progress)


class Encoded(NamedTuple):
    """Records already encoded as UTF-8, in a writer's batch form (CSV: each record followed by its line
    break, `records_bytes`), copied into the file as they are: a stored rendering of an export."""

    data: bytes
    rows: int


def records_bytes(lines: list[str]) -> bytes:
    """The batch of CSV records as `text_chunks` writes it (each followed by CRLF), for an `Encoded`."""
    return ("\r\n".join(lines) + "\r\n").encode("utf-8") if lines else b""


def text_chunks(
    header: Sequence[str], lines_batches: Iterable[list[str] | Encoded], progress: Progress | None = None
) -> Iterator[bytes]:
    """Like `chunks`, for records that are already CSV text (without line break; `cell` quotes and
    protects a value), delivered in batches (one chunk each): for exports that format a row faster in one
    string than cell by cell. A batch may also be `Encoded`."""
    head = line(header) + "\r\n"
    written = 0
    for lines in lines_batches:
        if lines.__class__ is Encoded:
            if not lines.rows:
                continue
            yield head.encode("utf-8") + lines.data if head else lines.data
            head = ""
            written += lines.rows
            if progress:
                progress(written)
            continue
        if not lines:
            continue
        written += len(lines)
        lines.append("")  # the line break after the last record
        yield (head + "\r\n".join(lines)).encode("utf-8")
        head = ""
        if progress:
            progress(written)
    if written == 0:
        yield head.encode("utf-8")


def german_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The German spreadsheet dialect: UTF-8 with BOM, ';', CRLF; text protected against formulas.
    Numbers are int or `Number` (German text from core.numbers); None is empty."""
    buffer = io.StringIO(newline="")
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_german_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _german_cell(value):
    if value is None:
        return ""
    if value.__class__ is str:
        return protect_formula(value)
    return value
