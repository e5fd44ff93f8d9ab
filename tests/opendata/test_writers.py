"""The streaming writers: RFC 4180 CSV as the csv module writes it, valid (Geo)JSON, safe XLSX, local time."""

import csv
import datetime
import decimal
import io
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stadtdigital.core import csvfiles
from stadtdigital.opendata import writers

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
cells = st.one_of(text, st.integers(), st.floats(allow_nan=False), st.none())
rows = st.lists(st.lists(cells, min_size=1, max_size=6), max_size=30)


def protected(row):
    """Text as every CSV cell writes it: protected against spreadsheet formulas (core.csvfiles)."""
    return [csvfiles.protect_formula(value) if isinstance(value, str) else value for value in row]


def csv_module(header, data) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(protected(row) for row in data)
    return buffer.getvalue().encode("utf-8")


@given(rows)
@example([["a,b", 'say "hi"', "two\nlines", "cr\r", "", None, 1, 2.5]])
@example([[""], [None], ["x"]])
@example([["=1+1", "-2+3", "@SUM(A1)", "\tx", "'q", -2, -2.5]])
def test_csv_chunks_writes_the_bytes_of_the_csv_module(data):
    header = ["h1", "h,2"]

    written = b"".join(writers.csv_chunks(header, iter(data)))

    assert written == csv_module(header, data)
    parsed = list(csv.reader(io.StringIO(written.decode("utf-8"), newline="")))
    assert parsed[1:] == [["" if value is None else str(value) for value in protected(row)] for row in data]


def test_csv_chunks_streams_in_chunks_and_reports_progress(monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_ROWS", 2)
    seen = []

    chunks = list(writers.csv_chunks(["n"], ([n] for n in range(5)), seen.append))

    assert chunks == [b"n\r\n0\r\n1\r\n", b"2\r\n3\r\n", b"4\r\n"]
    assert seen == [2, 4, 5]


def test_csv_cell_writes_dates_and_decimals_as_iso_and_plain_text():
    assert writers.csv_cell(datetime.date(2024, 1, 31)) == "2024-01-31"
    assert (
        writers.csv_cell(datetime.datetime(2024, 1, 31, 10, 0, tzinfo=datetime.UTC))
        == "2024-01-31T10:00:00+00:00"
    )
    assert writers.csv_cell(decimal.Decimal("1.50")) == "1.50"
    assert writers.csv_cell(True) == "True"  # as the csv module writes it


def test_csv_text_chunks_writes_batches_of_lines_and_a_header_for_no_rows():
    seen = []

    assert list(writers.csv_text_chunks(["a", "b"], iter([["1,2", "3,4"], [], ["5,6"]]), seen.append)) == [
        b"a,b\r\n1,2\r\n3,4\r\n",
        b"5,6\r\n",
    ]
    assert seen == [2, 3]
    assert list(writers.csv_text_chunks(["a", "b"], iter([]))) == [b"a,b\r\n"]


zones = st.sampled_from(
    ["Europe/Berlin", "UTC", "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago"]
)
instants = st.datetimes(datetime.datetime(1971, 1, 1), datetime.datetime(2099, 12, 31))


@given(text)
def test_json_string_is_the_json_encoding_of_the_text(value):
    assert writers.json_string(value) == json.dumps(value, ensure_ascii=False)
    assert json.loads(writers.json_string(value)) == value


def test_geojson_text_chunks_is_a_feature_collection():
    feature = '{"type":"Feature","geometry":null,"properties":{"id":%d}}'
    seen = []

    data = b"".join(
        writers.geojson_text_chunks(iter([[feature % 1, feature % 2], [feature % 3]]), seen.append)
    )

    assert [f["properties"]["id"] for f in json.loads(data)["features"]] == [1, 2, 3]
    assert seen == [2, 3]
    assert json.loads(b"".join(writers.geojson_text_chunks(iter([])))) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_json_and_geojson_chunks_encode_many_objects_with_decimals_and_dates(monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_ROWS", 3)
    objects = [
        {"n": n, "amount": decimal.Decimal("1.10"), "day": datetime.date(2024, 1, n + 1)} for n in range(7)
    ]

    assert json.loads(b"".join(writers.json_chunks(iter(objects)))) == [
        {"n": n, "amount": "1.10", "day": f"2024-01-{n + 1:02d}"} for n in range(7)
    ]
    collection = json.loads(
        b"".join(writers.geojson_chunks(iter([(9.2, 49.1, {"n": 1}), (None, None, {"n": 2})])))
    )
    assert [f["geometry"] for f in collection["features"]] == [
        {"type": "Point", "coordinates": [9.2, 49.1]},
        None,
    ]


def test_xlsx_keeps_text_as_text_and_drops_what_xml_cannot_hold():
    from openpyxl import load_workbook

    data = b"".join(
        writers.xlsx_chunks(
            ["text", "number", "when"],
            iter(
                [
                    [
                        '=HYPERLINK("http://example.org")',
                        1,
                        datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
                    ],
                    ["bell\x07 and tab\tstay", decimal.Decimal("2.5"), datetime.date(2024, 1, 2)],
                ]
            ),
            sheet_title="Probe",
        )
    )
    sheet = load_workbook(io.BytesIO(data))["Probe"]
    cells = list(sheet.iter_rows(min_row=2))

    # protected like every text cell (core.csvfiles.protect_formula), and stored as text
    assert cells[0][0].value == '\'=HYPERLINK("http://example.org")' and cells[0][0].data_type == "s"
    assert cells[0][2].value == "2024-01-01T00:00:00+00:00"
    assert cells[1][0].value == "bell and tab\tstay"
    assert cells[1][1].value == pytest.approx(2.5) and cells[1][1].data_type == "n"
    assert cells[1][2].value == datetime.datetime(2024, 1, 2)


@settings(max_examples=300)
@given(zones, st.lists(instants, min_size=1, max_size=20))
@example("Europe/Berlin", [datetime.datetime(2024, 3, 31, 0, 59, 59), datetime.datetime(2024, 3, 31, 1)])
@example("Europe/Berlin", [datetime.datetime(2024, 10, 27, 0, 30), datetime.datetime(2024, 10, 27, 1, 30)])
@example("Asia/Kolkata", [datetime.datetime(2024, 3, 31, 18, 29, 59), datetime.datetime(2024, 3, 31, 18, 30)])
@example(
    "Australia/Lord_Howe", [datetime.datetime(2024, 4, 6, 14, 45), datetime.datetime(2024, 4, 6, 15, 15)]
)
def test_local_times_inline_parts_agree_with_zoneinfo(zone, values):
    """LocalTimes' head and tail around the copied minutes and seconds give what converting each value
    would; a zone whose offset is not whole hours or changes within an hour moves to finer keys."""
    tz = ZoneInfo(zone)
    times = writers.LocalTimes(tz)

    for value in values * 2:  # the second round answers from the cache
        utc_text = value.strftime("%Y-%m-%d %H:%M:%S.%f")
        expected = value.replace(tzinfo=datetime.UTC).astimezone(tz).isoformat(timespec="seconds")
        while True:
            try:
                head, tail = times[utc_text[: times.size]]
                break
            except writers.IrregularSpan:
                times = times.finer()
        assert f"{head}{utc_text[times.size : 19]}{tail}" == expected
    if zone in ("Asia/Kolkata", "America/St_Johns"):
        assert times.size > 13  # half-hour offsets: never hours
