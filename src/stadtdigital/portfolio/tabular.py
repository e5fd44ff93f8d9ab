"""The portfolio spreadsheet format: its columns, the parsing and formatting of cells, CSV and XLSX files.

Nothing here touches the database; importing.py and exporting.py build on it. The format is documented
for users in docs/portfolio-import-format.md; keep both in step.
"""

import csv
import datetime
import enum
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadtdigital.core import csvfiles
from stadtdigital.core.numbers import format_decimal_de
from stadtdigital.portfolio.limits import (
    LimitExceeded,
    Limits,
    cell_too_long,
    check_xlsx_archive,
    too_many_columns,
    too_many_rows,
)

CENT = Decimal("0.01")
# Model limits (models.MONEY, KPI fields): digits before the decimal point.
AMOUNT_INTEGER_DIGITS = 12
NUMBER_INTEGER_DIGITS = 14
# A float read from an XLSX cell closer than this to a whole cent is a binary artefact, not a real fraction.
FLOAT_ARTEFACT_TOLERANCE = Decimal("0.000001")


class CellError(ValueError):
    """A cell's content cannot be read; the message says why, in the user's terms."""


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, empty, undecodable ...)."""


class Kind(enum.Enum):
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"
    LIST = "list"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind
    description: str
    header_required: bool = False
    width: int = 18


# One row per project. Headers are the format's identity and stay German in every UI language.
COLUMNS: tuple[Column, ...] = (
    Column(
        "slug",
        "Kennung",
        Kind.TEXT,
        gettext_lazy("Eindeutige Kennung (Kurzname in Adressen). Vorhanden: Projekt wird aktualisiert."),
    ),
    Column("title", "Titel", Kind.TEXT, gettext_lazy("Pflichtangabe."), header_required=True, width=40),
    Column("summary", "Kurzbeschreibung", Kind.TEXT, gettext_lazy("Bis 500 Zeichen."), width=40),
    Column("description", "Beschreibung", Kind.TEXT, gettext_lazy("Freitext."), width=50),
    Column(
        "field_of_action",
        "Handlungsfeld",
        Kind.TEXT,
        gettext_lazy("Name oder Kurzname; unbekannte Handlungsfelder werden angelegt."),
        header_required=True,
        width=25,
    ),
    Column(
        "status",
        "Status",
        Kind.TEXT,
        gettext_lazy("Idee, in Vorbereitung, in Umsetzung, abgeschlossen, pausiert, eingestellt."),
        header_required=True,
    ),
    Column(
        "status_since",
        "Status seit",
        Kind.DATE,
        gettext_lazy("Datum der Statusänderung; leer: heute."),
    ),
    Column(
        "department",
        "Fachbereich",
        Kind.TEXT,
        gettext_lazy("Name, Kürzel oder Kurzname eines vorhandenen Fachbereichs."),
        header_required=True,
        width=25,
    ),
    Column("contact_person", "Ansprechperson", Kind.TEXT, gettext_lazy("Intern.")),
    Column("internal_notes", "Interne Notizen", Kind.TEXT, gettext_lazy("Intern."), width=30),
    Column("planned_start", "geplanter Beginn", Kind.DATE, gettext_lazy("Datum.")),
    Column("planned_end", "geplantes Ende", Kind.DATE, gettext_lazy("Datum.")),
    Column("actual_start", "tatsächlicher Beginn", Kind.DATE, gettext_lazy("Datum.")),
    Column("actual_end", "tatsächliches Ende", Kind.DATE, gettext_lazy("Datum.")),
    Column("planned_budget", "Budget geplant (EUR)", Kind.AMOUNT, gettext_lazy("Betrag in Euro.")),
    Column("cost_to_date", "Kosten bisher (EUR)", Kind.AMOUNT, gettext_lazy("Betrag in Euro.")),
    Column("funding_amount", "Fördermittel (EUR)", Kind.AMOUNT, gettext_lazy("Betrag in Euro.")),
    Column("funding_source", "Fördermittelgeber", Kind.TEXT, gettext_lazy("Freitext."), width=25),
    Column(
        "partners",
        "Partner",
        Kind.LIST,
        gettext_lazy("Ein Partner je Zeile: Name | Art: Hochschule"),
        width=35,
    ),
    Column("priority", "Priorität", Kind.TEXT, gettext_lazy("hoch, mittel oder niedrig; leer: mittel.")),
    Column("tags", "Schlagwörter", Kind.LIST, gettext_lazy("Ein Schlagwort je Zeile."), width=25),
    Column("links", "Links", Kind.LIST, gettext_lazy("Ein Link je Zeile: Titel | https://…"), width=40),
    Column(
        "milestones",
        "Meilensteine",
        Kind.LIST,
        gettext_lazy("Einer je Zeile: Titel | fällig: 31.12.2021 | erreicht: 15.12.2021"),
        width=45,
    ),
    Column(
        "kpis",
        "Kennzahlen",
        Kind.LIST,
        gettext_lazy("Eine je Zeile: Name | Einheit: … | Ziel: 100 | aktuell: 42,5 | Stand: 30.06.2021"),
        width=50,
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


def normalize_name(text: str) -> str:
    """The form in which headers and names are compared: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


COLUMNS_BY_HEADER = {normalize_name(column.header): column for column in COLUMNS}


# --- Cells -----------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as text, for text columns; XLSX may hand us numbers or dates where people typed text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return format_date(value)
    return str(value).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_CURRENCY = re.compile(r"^(?:€|eur(?:o)?)\s*|\s*(?:€|eur(?:o)?)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_PLAIN = re.compile(r"^\d+$")
_SINGLE_SEPARATOR = re.compile(r"^(\d+)([.,])(\d+)$")
_AMBIGUOUS = re.compile(r"^[1-9]\d{0,2}[.,]\d{3}$")
_GERMAN_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$")
_ENGLISH_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$")
_SPACE_GROUPED = re.compile(r"^[1-9]\d{0,2}(?: \d{3})+(?:[.,]\d+)?$")


def _decimal_from_text(text: str, noun: str) -> Decimal:
    original = text
    text = _CURRENCY.sub("", text.strip()).strip()
    sign = ""
    if text[:1] in "-−":
        sign, text = "-", text[1:].strip()
    text = _SPACES.sub(" ", text)
    not_a_number = CellError(_("'%(value)s' ist %(noun)s") % {"value": original, "noun": noun})
    if _PLAIN.match(text):
        digits = text
    elif _AMBIGUOUS.match(text):
        raise CellError(
            _(
                "'%(value)s' ist mehrdeutig (Tausendertrennzeichen oder Dezimalstelle?); "
                "bitte z. B. '1.234,00' oder '1234' schreiben"
            )
            % {"value": original}
        )
    elif match := _SINGLE_SEPARATOR.match(text):
        digits = f"{match[1]}.{match[3]}"
    elif _GERMAN_GROUPED.match(text):
        digits = text.replace(".", "").replace(",", ".")
    elif _ENGLISH_GROUPED.match(text):
        digits = text.replace(",", "")
    elif _SPACE_GROUPED.match(text):
        digits = text.replace(" ", "").replace(",", ".")
    else:
        raise not_a_number
    return Decimal(sign + digits)


def _decimal_from_float(value: float) -> Decimal:
    # str() is the shortest text reading back to the same float: 0.1 stays 0.1, not 0.1000000000000000055.
    number = Decimal(str(value))
    rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if number != rounded and abs(number - rounded) < FLOAT_ARTEFACT_TOLERANCE:
        return rounded  # e.g. 1234.5600000000001 from Excel arithmetic
    return number


def _parse_decimal(value, *, noun: str, integer_digits: int, allow_negative: bool) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, bool | datetime.date):
        raise CellError(_("'%(value)s' ist %(noun)s") % {"value": cell_text(value), "noun": noun})
    try:
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise CellError(_("'%(value)s' ist %(noun)s") % {"value": value, "noun": noun})
            number = _decimal_from_float(value)
        elif isinstance(value, Decimal):
            number = value
        else:
            number = _decimal_from_text(str(value), noun)
    except InvalidOperation as exc:
        raise CellError(_("'%(value)s' ist %(noun)s") % {"value": value, "noun": noun}) from exc
    if not number.is_finite():
        raise CellError(_("'%(value)s' ist %(noun)s") % {"value": value, "noun": noun})
    shown = cell_text(value)
    # Size first: quantizing a number with more digits than the decimal context holds would fail.
    if abs(number) >= Decimal(10) ** integer_digits:
        raise CellError(
            _("'%(value)s' ist zu groß (höchstens %(digits)s Stellen vor dem Komma)")
            % {"value": shown, "digits": integer_digits}
        )
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise CellError(
            _("'%(value)s' hat mehr als zwei Nachkommastellen (Cent); bitte auf Cent runden")
            % {"value": shown}
        )
    number = number.quantize(CENT)
    if number < 0 and not allow_negative:
        raise CellError(_("'%(value)s' ist negativ; Beträge müssen 0 oder größer sein") % {"value": shown})
    return number


def parse_amount(value) -> Decimal | None:
    """A euro amount with cents: '13.500.000,00', '1.234,5 €', '1234.50', or a numeric XLSX cell."""
    return _parse_decimal(
        value, noun=_("kein Betrag"), integer_digits=AMOUNT_INTEGER_DIGITS, allow_negative=False
    )


def parse_number(value) -> Decimal | None:
    """A KPI value: like an amount, but may be negative and has no currency."""
    return _parse_decimal(
        value, noun=_("keine Zahl"), integer_digits=NUMBER_INTEGER_DIGITS, allow_negative=True
    )


_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value) -> datetime.date | None:
    """'31.12.2021', '2021-12-31' or an XLSX date cell."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise CellError(
            _("'%(value)s' ist kein Datum (eine Zahl; bitte als Datum TT.MM.JJJJ eingeben)") % {"value": text}
        )
    if match := _GERMAN_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise CellError(_("'%(value)s' ist kein Datum (erwartet TT.MM.JJJJ)") % {"value": text})
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise CellError(_("'%(value)s' ist kein gültiges Datum") % {"value": text}) from exc


def format_date(value: datetime.date | None) -> str:
    return "" if value is None else f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


# --- Lists in one cell -----------------------------------------------------------------------------------
# One entry per line; an entry's parts are separated by "|". A literal "|" or "\" in a part is written
# with a backslash ("\|", "\\"), so any title survives the round trip.

PART_SEPARATOR = " | "


def split_entries(value) -> list[str]:
    return [line.strip() for line in cell_text(value).split("\n") if line.strip()]


def split_parts(entry: str) -> list[str]:
    parts, current, chars = [], [], iter(entry)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            # Only "\|" and "\\" are escapes; any other backslash is kept as typed (e.g. a path).
            current.append(following if following in "|\\" else char + following)
        elif char == "|":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def escape_part(text: str) -> str:
    # Line breaks would split the entry; a title never needs one, so they become spaces.
    text = " ".join(text.splitlines())
    return text.replace("\\", "\\\\").replace("|", "\\|")


def join_parts(parts: Iterable[str]) -> str:
    return PART_SEPARATOR.join(escape_part(part) for part in parts)


def split_keyword(part: str) -> tuple[str, str] | None:
    """'fällig: 31.12.2021' -> ('fällig', '31.12.2021'); None when the part has no keyword."""
    keyword, colon, rest = part.partition(":")
    if not colon or not keyword.strip():
        return None
    return normalize_name(keyword), rest.strip()


# --- Files -----------------------------------------------------------------------------------------------


class FileFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def detect_format(filename: str) -> FileFormat:
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    try:
        return FileFormat(suffix)
    except ValueError:
        raise TableError(
            _("Dateityp '%(suffix)s' wird nicht unterstützt; bitte eine .csv- oder .xlsx-Datei verwenden")
            % {"suffix": f".{suffix}" if suffix else _("ohne Endung")}
        ) from None


@dataclass
class Table:
    headers: list[str]
    header_row: int
    # (row number as the spreadsheet shows it, cell values); blank rows are left out.
    rows: list[tuple[int, list]]


def read_table(data: bytes, filename: str, limits: Limits | None = None) -> Table:
    """The rows of a CSV or XLSX file, read as a stream and stopped at the first limit it exceeds."""
    file_format = detect_format(filename)
    if not data:
        raise TableError(_("Die Datei ist leer"))
    limits = limits or Limits()
    raw_rows = _read_csv(data) if file_format is FileFormat.CSV else _read_xlsx(data, limits)
    try:
        return _table_from(_within_limits(raw_rows, limits))
    except LimitExceeded as exc:
        raise TableError(str(exc)) from None
    finally:
        raw_rows.close()  # stopped early: release the workbook now, not when garbage collected


def _within_limits(raw_rows: Iterable[tuple[int, list]], limits: Limits) -> Iterable[tuple[int, list]]:
    for number, cells in raw_rows:
        if number > limits.max_rows:
            raise too_many_rows(limits)
        if len(cells) > limits.max_columns:
            if any(not is_blank(cell) for cell in cells[limits.max_columns :]):
                raise too_many_columns(number, limits)
            cells = cells[: limits.max_columns]
        for column, cell in enumerate(cells, 1):
            if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
                raise cell_too_long(number, column, len(cell), limits)
        yield number, cells


def _table_from(raw_rows: Iterable[tuple[int, list]]) -> Table:
    rows_iter = iter(raw_rows)
    headers: list[str] | None = None
    header_row = 0
    for header_row, cells in rows_iter:  # noqa: B007 - the header's row number is needed after the loop
        if any(not is_blank(cell) for cell in cells):
            headers = [cell_text(cell) for cell in cells]
            break
    if headers is None:
        raise TableError(_("Die Datei ist leer"))
    while headers and not headers[-1]:
        headers.pop()  # spreadsheets often carry formatted but empty columns at the right
    rows = []
    for number, cells in rows_iter:
        if all(is_blank(cell) for cell in cells):
            continue
        cells = [csvfiles.unprotect_formula(cell) if isinstance(cell, str) else cell for cell in cells]
        rows.append((number, cells + [None] * (len(headers) - len(cells))))
    return Table(headers, header_row, rows)


def _read_csv(data: bytes) -> Iterable[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            _(
                "Die Datei ist nicht UTF-8-kodiert (unlesbares Byte an Position %(position)s). "
                "In Excel bitte als 'CSV UTF-8 (durch Trennzeichen getrennt)' speichern"
            )
            % {"position": exc.start + 1}
        ) from None
    if "\x00" in text:
        raise TableError(_("Die Datei enthält Nullbytes und ist keine Textdatei (CSV)"))
    first_line = text.lstrip("\n\r").split("\n", 1)[0]
    delimiter = (
        ";" if ";" in first_line else "," if "," in first_line else "\t" if "\t" in first_line else ";"
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _csv_records(reader)


def _csv_records(reader) -> Iterable[tuple[int, list]]:
    try:
        # Excel shows a quoted multi-line cell as one row, so count records, not physical lines.
        yield from enumerate(reader, 1)
    except csv.Error as exc:
        raise TableError(_("Die CSV-Datei ist fehlerhaft: %(problem)s") % {"problem": exc}) from None


def _read_xlsx(data: bytes, limits: Limits) -> Iterable[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_xlsx_archive(archive, limits)
        # data_only: a formula cell counts with the value Excel last computed, as the user sees it.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LimitExceeded as exc:
        raise TableError(str(exc)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        raise TableError(
            _("Die Datei ist keine gültige XLSX-Datei (%(problem)s)") % {"problem": exc}
        ) from None
    return _xlsx_rows(workbook)


def _xlsx_rows(workbook) -> Iterable[tuple[int, list]]:
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension ("A1:XFD1048576") is not trusted: only rows that exist are read.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, list(cells)
    except (LimitExceeded, TableError):
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on a damaged sheet
        raise TableError(_("Die XLSX-Datei ist beschädigt (%(problem)s)") % {"problem": exc}) from None
    finally:
        workbook.close()


def write_csv(rows: Iterable[list], stream) -> None:
    """The German spreadsheet dialect of core.csvfiles (UTF-8 with BOM, ';'): what German Excel opens
    correctly with a double click. Text is protected against formulas; import removes the protection."""
    data = csvfiles.german_bytes(
        [column.header for column in COLUMNS],
        ([_csv_cell(column, value) for column, value in zip(COLUMNS, row, strict=True)] for row in rows),
    )
    stream.write(data.decode("utf-8"))


def _csv_cell(column: Column, value):
    if value is None:
        return None
    if column.kind is Kind.AMOUNT:
        return csvfiles.Number(format_decimal_de(value, 2))
    if column.kind is Kind.DATE:
        return format_date(value)
    return value


_EXCEL_EPOCH = datetime.date(1900, 3, 1)  # Excel's calendar is unreliable before this day


def write_xlsx(rows: Iterable[list], stream) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Projekte")
    sheet.freeze_panes = "B2"
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    for row in rows:
        cells = []
        for column, value in zip(COLUMNS, row, strict=True):
            if column.kind is Kind.DATE and value is not None and value < _EXCEL_EPOCH:
                value = format_date(value)
            if isinstance(value, str):
                value = csvfiles.protect_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text beginning with "=" stays text, never a formula
                if column.kind in (Kind.LIST, Kind.TEXT) and "\n" in value:
                    cell.alignment = wrap
            elif column.kind is Kind.AMOUNT:
                cell.number_format = "#,##0.00"
            elif column.kind is Kind.DATE:
                cell.number_format = "DD.MM.YYYY"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(stream)
