"""The dataset `anliegen-monatsstatistik`: figures per local month, category and department, by hand."""

import csv
import datetime
import io
import json
import statistics
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from stadtdigital.opendata.models import DataChange
from stadtdigital.opendata.registry import Period, get_dataset
from stadtdigital.reports.models import Report, State, Visibility

UTC = datetime.UTC

HEADER = (
    "monat,kategorie_code,kategorie,fachbereich,eingegangen,geschlossen,erledigt,median_tage_bis_abschluss"
)
SCHLAGLOCH = "schlagloch,Straßenschäden und Schlaglöcher"
SPIELPLATZ = "spielplatz,Spielplätze"


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def reports(make_report, category, other_category, other_department):
    """Times in UTC; Berlin is UTC+1 until 2024-03-31 01:00 UTC, then UTC+2."""

    def report(received, closed=None, state=State.RECEIVED, **fields):
        made = make_report(created_at=at(received), state=state, **fields)
        if closed:
            Report.objects.filter(pk=made.pk).update(closed_at=at(closed), updated_at=at(closed))
        return made

    report("2024-03-01 10:00", "2024-03-03 10:00", State.FIXED)  # 2 days
    report("2024-03-02 00:00", "2024-03-02 12:00", State.CLOSED_NOT_FIXED)  # 0.5 days
    report("2024-03-05 09:00")
    report("2024-03-10 09:00", "2024-04-02 09:00", State.FIXED)  # closed in April: 23 days
    report("2024-03-12 09:00", state=State.REOPENED)  # closed once, reopened: no closing date
    # Local 2024-03-01 00:30: received in March; closed local 2024-05-01 00:30, in May: 60 days 23 hours.
    report("2024-02-29 23:30", "2024-04-30 22:30", State.FIXED, category=other_category)
    report("2024-03-31 22:30")  # local 2024-04-01 00:30: received in April
    report("2024-04-15 09:00", department=other_department)  # re-routed: a group of its own
    report("2024-03-06 09:00", "2024-03-07 09:00", State.FIXED, visibility=Visibility.HIDDEN)
    report("2024-03-06 09:00", visibility=Visibility.PENDING_CONFIRMATION)


def download(fmt: str, period: Period | None = None) -> bytes:
    return b"".join(
        get_dataset("anliegen-monatsstatistik").distribution(fmt).stream(period or Period(), None)
    )


EXPECTED = [
    f"2024-03,{SPIELPLATZ},Schulverwaltungsamt,1,0,0,",
    # The median of 2 and 0.5 days is 1.25: rounded half up, as a spreadsheet does, not half to even.
    f"2024-03,{SCHLAGLOCH},Amt für Digitalisierung,5,2,1,1.3",
    f"2024-04,{SCHLAGLOCH},Amt für Digitalisierung,1,1,1,23.0",
    f"2024-04,{SCHLAGLOCH},Schulverwaltungsamt,1,0,0,",
    f"2024-05,{SPIELPLATZ},Schulverwaltungsamt,0,1,1,61.0",
]


@pytest.mark.django_db
def test_csv_counts_public_reports_per_local_month_category_and_department(reports):
    assert download("csv").decode("utf-8").split("\r\n") == [HEADER, *EXPECTED, ""]


@pytest.mark.django_db
def test_period_selects_the_months_it_touches(reports):
    one_day = Period(datetime.date(2024, 4, 10), datetime.date(2024, 4, 10))
    from_april_end = Period(start=datetime.date(2024, 4, 30))

    assert download("csv", one_day).decode().split("\r\n")[1:-1] == EXPECTED[2:4]
    assert download("csv", from_april_end).decode().split("\r\n")[1:-1] == EXPECTED[2:]
    assert download("csv", Period(end=datetime.date(2024, 2, 1))).decode() == HEADER + "\r\n"


@pytest.mark.django_db
def test_json_has_the_same_figures_with_numbers_and_null(reports):
    objects = json.loads(download("json"))

    assert len(objects) == len(EXPECTED)
    assert objects[0] == {
        "monat": "2024-03",
        "kategorie_code": "spielplatz",
        "kategorie": "Spielplätze",
        "fachbereich": "Schulverwaltungsamt",
        "eingegangen": 1,
        "geschlossen": 0,
        "erledigt": 0,
        "median_tage_bis_abschluss": None,
    }
    assert [o["median_tage_bis_abschluss"] for o in objects] == [None, 1.3, 23.0, None, 61.0]


@pytest.mark.django_db
def test_xlsx_has_the_same_rows_with_numeric_cells(reports):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download("xlsx"))).active
    header, *rows = sheet.iter_rows(values_only=True)

    assert ",".join(header) == HEADER
    expected = [
        [*row[:4], *(float(value) if value else None for value in row[4:])] for row in csv.reader(EXPECTED)
    ]
    assert [list(row) for row in rows] == expected


@pytest.mark.django_db
def test_figures_can_be_recomputed_from_the_reports_dataset(reports):
    """What the dataset description promises: the same reports and dates as the `anliegen` file."""
    anliegen = b"".join(get_dataset("anliegen").distribution("csv").stream(Period(), None)).decode()
    received, closed, fixed = Counter(), defaultdict(list), Counter()
    for row in csv.DictReader(io.StringIO(anliegen)):
        group = (row["kategorie_code"], row["kategorie"], row["fachbereich"])
        received[row["eingegangen_am"][:7], *group] += 1
        if row["geschlossen_am"]:
            key = (row["geschlossen_am"][:7], *group)
            opened = datetime.datetime.fromisoformat(row["eingegangen_am"])
            closed[key].append(
                (datetime.datetime.fromisoformat(row["geschlossen_am"]) - opened).total_seconds()
            )
            fixed[key] += row["status"] == "fixed"
    recomputed = [
        [
            *key,
            str(received[key]),
            str(len(closed[key])),
            str(fixed[key]),
            str((Decimal(statistics.median(closed[key])) / 86400).quantize(Decimal("0.1"), ROUND_HALF_UP))
            if closed[key]
            else "",
        ]
        for key in set(received) | set(closed)
    ]

    published = list(csv.reader(io.StringIO(download("csv").decode())))[1:]
    assert sorted(published) == sorted(recomputed)


@pytest.mark.django_db
def test_metadata(reports):
    statistics = get_dataset("anliegen-monatsstatistik")
    DataChange.objects.all().delete()  # the fixture's new categories are no renames to account for

    assert statistics.temporal() == (datetime.date(2024, 3, 1), datetime.date(2024, 5, 1))
    assert statistics.modified() == at("2024-04-30 22:30")
    assert statistics.row_count(Period()) is None  # as costly as the file itself
    assert statistics.supports_period
    assert [d.key for d in statistics.distributions] == ["csv", "json", "xlsx"]


@pytest.mark.django_db
def test_no_reports_no_rows():
    assert download("csv").decode() == HEADER + "\r\n"
    assert json.loads(download("json")) == []
    assert get_dataset("anliegen-monatsstatistik").temporal() is None
