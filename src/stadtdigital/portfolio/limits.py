"""Limits of a portfolio file, and the inspection of an XLSX archive before any XML parser sees it.

An XLSX file is a zip of XML files. A hostile one can declare a DTD (billion laughs, external entities),
pack hundreds of megabytes into a few kilobytes, or declare millions of rows. Everything here runs on the
zip directory and on bounded, streamed reads, so memory stays small whatever the file claims; the
row, column and cell limits are checked by tabular.py while it streams the rows. See docs/production.md
("Limits") and decision 0021.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from stadtdigital.core.numbers import format_compact_de

MEGABYTE = 1024 * 1024
# Excel's own limit of characters in a cell.
EXCEL_MAX_CELL_CHARS = 32767
# XML compresses about 5 to 20 times; far more means a file built to expand (a "zip bomb").
MAX_COMPRESSION_RATIO = 200
# A member this small may compress as well as it likes: it cannot hurt.
RATIO_CHECKED_ABOVE_BYTES = MEGABYTE
MAX_ARCHIVE_MEMBERS = 1000
_READ_CHUNK = 256 * 1024
# A DTD starts with <!DOCTYPE; entities need one, but <!ENTITY is refused on its own too. XLSX is UTF-8,
# yet XML allows UTF-16, so look for both encodings rather than trust a declaration.
_FORBIDDEN_MARKUP = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(marker) for marker in _FORBIDDEN_MARKUP)


class LimitExceeded(ValueError):
    """The file is beyond a limit; the German message names the limit and how to stay within it."""


@dataclass(frozen=True)
class Limits:
    max_rows: int = 10_000
    max_columns: int = 200
    max_cell_chars: int = EXCEL_MAX_CELL_CHARS
    max_uncompressed_bytes: int = 50 * MEGABYTE

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_rows=settings.PORTFOLIO_IMPORT_MAX_ROWS,
            max_uncompressed_bytes=settings.PORTFOLIO_IMPORT_MAX_UNCOMPRESSED_MB * MEGABYTE,
        )


def check_xlsx_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Raises LimitExceeded for an archive that is too big unpacked or carries a DTD; reads in chunks."""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise LimitExceeded(
            _("Die XLSX-Datei enthält %(count)s Teildateien; erlaubt sind höchstens %(limit)s.")
            % {"count": len(members), "limit": MAX_ARCHIVE_MEMBERS}
        )
    # The sizes in the zip directory are upper bounds: zipfile never returns more than file_size bytes.
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise LimitExceeded(
            _(
                "Die XLSX-Datei ist entpackt %(size)s MB groß; erlaubt sind höchstens %(limit)s MB "
                "(Grenze PORTFOLIO_IMPORT_MAX_UNCOMPRESSED_MB)."
            )
            % {"size": _megabytes(total), "limit": _megabytes(limits.max_uncompressed_bytes)}
        )
    for member in members:
        if member.file_size > RATIO_CHECKED_ABOVE_BYTES and (
            member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise LimitExceeded(
                _(
                    "Der Teil '%(name)s' der XLSX-Datei ist mehr als %(ratio)s-fach komprimiert; "
                    "so etwas erzeugt Excel nicht, die Datei wird abgelehnt."
                )
                % {"name": member.filename, "ratio": MAX_COMPRESSION_RATIO}
            )
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, member):
            raise LimitExceeded(
                _(
                    "Der Teil '%(name)s' der XLSX-Datei enthält eine DTD (<!DOCTYPE oder <!ENTITY>); "
                    "das ist in Excel-Dateien nicht üblich und wird aus Sicherheitsgründen abgelehnt."
                )
                % {"name": member.filename}
            )


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_READ_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _FORBIDDEN_MARKUP):
                return True
            tail = window[-_OVERLAP:]
    return False


def _megabytes(size: int) -> str:
    return format_compact_de(size / MEGABYTE, 1)


def too_many_rows(limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        _(
            "Die Datei hat mehr als %(limit)s Zeilen; bitte aufteilen oder die Grenze "
            "PORTFOLIO_IMPORT_MAX_ROWS erhöhen."
        )
        % {"limit": limits.max_rows}
    )


def too_many_columns(row: int, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        _("Zeile %(row)s hat Inhalt nach Spalte %(limit)s; erlaubt sind höchstens %(limit)s Spalten.")
        % {"row": row, "limit": limits.max_columns}
    )


def cell_too_long(row: int, column: int, length: int, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        _(
            "Zeile %(row)s, Spalte %(column)s: %(length)s Zeichen in einer Zelle; erlaubt sind höchstens "
            "%(limit)s."
        )
        % {"row": row, "column": column, "length": length, "limit": limits.max_cell_chars}
    )
