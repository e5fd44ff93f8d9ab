"""Reading CSV and XLSX files: encodings, delimiters, row numbers, and clear errors for unreadable files."""

import io

import pytest
from openpyxl import Workbook

from stadtdigital.portfolio.tabular import TableError, read_table, write_csv


def test_csv_with_bom_and_semicolons():
    table = read_table("\ufeffTitel;Status\r\nA;Idee\r\n".encode(), "portfolio.csv")
    assert table.headers == ["Titel", "Status"]
    assert table.rows == [(2, ["A", "Idee"])]


def test_csv_without_bom_and_commas():
    table = read_table(b'Titel,Budget geplant (EUR)\n"A","1.234,50"\n', "portfolio.CSV")
    assert table.headers == ["Titel", "Budget geplant (EUR)"]
    assert table.rows == [(2, ["A", "1.234,50"])]


def test_row_numbers_are_spreadsheet_rows_even_with_multiline_cells_and_blank_rows():
    data = b'Titel;Beschreibung\n"A";"zwei\nZeilen"\n;\nB;x\n'
    table = read_table(data, "p.csv")
    assert [number for number, _cells in table.rows] == [2, 4]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "p.csv", "leer"),
        (b"\n\n;;\n", "p.csv", "leer"),
        ("Titel\nÄrger\n".encode("cp1252"), "p.csv", "nicht UTF-8"),
        (b"Titel\x00\n", "p.csv", "Nullbytes"),
        (b"Titel\n", "p.xls", "'.xls' wird nicht unterstützt"),
        (b"Titel\n", "portfolio", "ohne Endung"),
        (b"not a zip file", "p.xlsx", "keine gültige XLSX-Datei"),
        (b"PK\x03\x04broken", "p.xlsx", "keine gültige XLSX-Datei"),
    ],
)
def test_unreadable_files_give_a_clear_error(data, filename, message):
    with pytest.raises(TableError, match=message):
        read_table(data, filename)


def test_xlsx_reads_first_sheet_with_typed_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Titel", "Budget geplant (EUR)"])
    sheet.append([None, None])
    sheet.append(["A", 1234.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "p.xlsx")
    assert table.rows == [(3, ["A", 1234.5])]


def test_csv_export_protects_formulas_and_import_restores_the_text():
    """A title like '=HYPERLINK(...)' must not run as a formula in Excel, yet round-trip unchanged."""
    buffer = io.StringIO(newline="")
    values = ["=1+1", "-minus", "'quoted", "plain"]
    rows = [[value, *[None] * 23] for value in values]
    write_csv(rows, buffer)
    text = buffer.getvalue()
    assert "\n'=1+1;" in text
    table = read_table(text.encode("utf-8"), "p.csv")
    assert [cells[0] for _n, cells in table.rows] == values
