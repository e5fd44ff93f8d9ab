"""Hostile XLSX files are refused with a message naming the limit, on the upload page and on the CLI.

The files are small versions of those in bench/hostile_xlsx.py (which measures memory at full size).
"""

import io
import zipfile

import pytest
from bench.hostile_xlsx import (
    billion_laughs,
    external_entity,
    huge_shared_string,
    many_rows,
    shared_strings,
    write_xlsx,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from stadtdigital.portfolio import tabular
from stadtdigital.portfolio.limits import Limits
from stadtdigital.portfolio.models import Project
from stadtdigital.portfolio.tabular import TableError

IMPORT_URL = reverse("portfolio:backoffice-import")


def read(path, limits=None):
    return tabular.read_table(path.read_bytes(), path.name, limits)


def test_billion_laughs_is_refused_as_a_dtd(tmp_path):
    with pytest.raises(TableError, match=r"xl/sharedStrings.xml.*DTD"):
        read(billion_laughs(tmp_path / "laughs.xlsx"))


def test_external_entity_is_refused_and_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM")
    with pytest.raises(TableError, match="DTD") as caught:
        read(external_entity(tmp_path / "xxe.xlsx", target=secret.as_uri()))
    assert "GEHEIM" not in str(caught.value)


def test_a_dtd_in_utf16_is_found_too(tmp_path):
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE sst [<!ENTITY a "b">]><sst/>'
    path = write_xlsx(tmp_path / "utf16.xlsx", shared_strings=[xml.encode("utf-16-le")])
    with pytest.raises(TableError, match="DTD"):
        read(path)


def test_a_shared_string_compressed_far_beyond_excel_is_refused(tmp_path):
    path = huge_shared_string(tmp_path / "string.xlsx", megabytes=3)
    assert path.stat().st_size < 50_000
    with pytest.raises(TableError, match=r"xl/sharedStrings.xml.*200-fach komprimiert"):
        read(path)


def test_the_unpacked_size_is_bounded_by_the_setting(tmp_path):
    path = huge_shared_string(tmp_path / "string.xlsx", megabytes=3)
    limits = Limits(max_uncompressed_bytes=2 * 1024 * 1024)
    with pytest.raises(TableError, match=r"entpackt 3 MB groß; erlaubt sind höchstens 2 MB"):
        read(path, limits)


def test_rows_beyond_the_limit_stop_the_reading(tmp_path):
    path = many_rows(tmp_path / "rows.xlsx", rows=5_000)
    with pytest.raises(TableError, match=r"mehr als 1000 Zeilen.*PORTFOLIO_IMPORT_MAX_ROWS"):
        read(path, Limits(max_rows=1000))


def test_a_declared_dimension_of_a_million_rows_is_not_trusted(tmp_path):
    # The sheet declares A1:A1048576 but holds one row: it is read as one row, quickly.
    path = write_xlsx(
        tmp_path / "dimension.xlsx", shared_strings=shared_strings("Titel"), declared_rows=1048576
    )
    table = read(path, Limits(max_rows=10))
    assert table.headers == ["Titel"]
    assert table.rows == []


def test_content_beyond_the_column_limit_is_refused(tmp_path):
    row = '<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"><v>1</v></c></row>'
    path = write_xlsx(tmp_path / "wide.xlsx", shared_strings=shared_strings("Titel"), sheet_rows=[row])
    with pytest.raises(TableError, match=r"Zeile 2 hat Inhalt nach Spalte 200"):
        read(path)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    row = '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    path = write_xlsx(
        tmp_path / "long.xlsx", shared_strings=shared_strings("Titel", "x" * 40_000), sheet_rows=[row]
    )
    with pytest.raises(TableError, match=r"Zeile 2, Spalte 1: 40000 Zeichen.*höchstens 32767"):
        read(path)


def test_csv_rows_and_cells_have_the_same_limits():
    data = ("Titel\n" + "x\n" * 50).encode()
    with pytest.raises(TableError, match="mehr als 20 Zeilen"):
        tabular.read_table(data, "p.csv", Limits(max_rows=20))
    with pytest.raises(TableError, match="Zeile 2, Spalte 1: 101 Zeichen"):
        tabular.read_table(("Titel\n" + "y" * 101).encode(), "p.csv", Limits(max_cell_chars=100))


def test_a_zip_that_is_no_spreadsheet_is_a_clear_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TableError, match="keine gültige XLSX-Datei"):
        tabular.read_table(buffer.getvalue(), "p.xlsx")


@pytest.mark.django_db
def test_the_upload_page_names_the_limit_and_changes_nothing(
    client, digital_office_user, department, field_of_action, tmp_path
):
    client.force_login(digital_office_user)
    path = billion_laughs(tmp_path / "laughs.xlsx")
    upload = SimpleUploadedFile("laughs.xlsx", path.read_bytes())
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200
    assert "enthält eine DTD" in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_command_line_names_the_limit_and_exits_with_status_1(tmp_path, settings):
    settings.PORTFOLIO_IMPORT_MAX_ROWS = 100
    path = many_rows(tmp_path / "rows.xlsx", rows=1_000)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="Import abgebrochen: 1 Fehler") as caught:
        call_command("portfolio", "import", str(path), stderr=stderr)
    assert caught.value.returncode == 1
    assert "Die Datei hat mehr als 100 Zeilen" in stderr.getvalue()
