"""The dataset `anliegen`: exactly the public reports, their public fields, nothing personal or internal."""

import csv
import datetime
import io
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stadtdigital.opendata.models import DataChange
from stadtdigital.opendata.registry import Period, get_dataset
from stadtdigital.reports.models import (
    AttributeValue,
    CategoryQuestion,
    EventKind,
    Photo,
    PhotoStatus,
    Report,
    State,
    Visibility,
)
from stadtdigital.reports.opendata import reports as dataset_module
from stadtdigital.reports.selectors import opendata as report_selectors

UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


SECRETS = (
    "Erika Mustermann",
    "erika@example.org",
    "+49 7131 5550123",
    "device-secret-123",
    "account-secret-456",
    "sachbearbeiter-geheim",
    "Interne Notiz",
    "Danke von der Meldenden",
    "PENDING-MARKER",
    "HIDDEN-MARKER",
    "HIDDEN-ANSWER",
    "INTERNE-ANTWORT",
    "Interne Frage",
)


@pytest.fixture
def reports(make_report, public_text, category):
    """A fixed public report with everything (answers, photos, personal data), an open one received just
    after midnight of New Year (local time), a pending and a hidden one."""
    staff = User.objects.create_user("sachbearbeiter-geheim", password="x" * 12)
    fixed = make_report(
        state=State.FIXED,
        created_at=at("2024-05-01 08:00:00"),
        description='Schlagloch "tief"',
        lat=49.1421234567,
        lon=9.2109876543,
        address="Hauptstraße 1, Musterstadt",
        supporters_count=3,
        reporter_name="Erika Mustermann",
        reporter_email="erika@example.org",
        reporter_phone="+49 7131 5550123",
        show_name=True,
        device_id="device-secret-123",
        account_id="account-secret-456",
        assigned_to=staff,
    )
    public_text(
        fixed, "Behoben.", at("2024-05-03 12:30:45.500000"), kind=EventKind.STATE, to_state=State.FIXED
    )
    public_text(fixed, "Wir kümmern uns.", at("2024-05-02 07:00:00"), internal_note="Interne Notiz: Bauhof")
    public_text(fixed, "Danke von der Meldenden", at("2024-05-04 07:00:00"), kind=EventKind.FEEDBACK)
    fixed.closed_at = fixed.updated_at = at("2024-05-03 12:30:45.500000")
    fixed.save()
    Photo.objects.create(report=fixed, status=PhotoStatus.READY, position=0)
    Photo.objects.create(report=fixed, status=PhotoStatus.READY, hidden=True, position=1)
    Photo.objects.create(report=fixed, status=PhotoStatus.PENDING, position=2)
    # answers to the category's questions: the public ones are published, the internal one never
    art = CategoryQuestion.objects.create(
        category=category,
        code="art",
        label="Art des Schadens",
        datatype="multivaluelist",
        choices=[{"key": "riss", "name": "Riss"}, {"key": "loch", "name": "Loch"}],
        is_public=True,
        position=2,
    )
    tiefe = CategoryQuestion.objects.create(
        category=category, code="tiefe", label="Tiefe (cm)", datatype="number", is_public=True, position=1
    )
    intern = CategoryQuestion.objects.create(
        category=category, code="intern", label="Interne Frage", datatype="string", position=3
    )
    AttributeValue.objects.create(report=fixed, question=art, value=["loch", "riss"])
    AttributeValue.objects.create(report=fixed, question=tiefe, value=12.5)
    AttributeValue.objects.create(report=fixed, question=intern, value="INTERNE-ANTWORT")

    new_year = make_report(created_at=at("2024-12-31 23:30:00"), description="Laterne aus", address="")
    pending = make_report(
        visibility=Visibility.PENDING_CONFIRMATION, description="PENDING-MARKER", created_at=at("2024-06-01")
    )
    hidden = make_report(
        visibility=Visibility.HIDDEN, description="HIDDEN-MARKER", created_at=at("2024-06-02")
    )
    public_text(hidden, "HIDDEN-ANSWER", at("2024-06-03"))
    return {"fixed": fixed, "new_year": new_year, "pending": pending, "hidden": hidden}


def stream(fmt: str, period: Period | None = None) -> bytes:
    return b"".join(get_dataset("anliegen").distribution(fmt).stream(period or Period(), None))


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.django_db
def test_csv_has_one_row_per_public_report_with_exact_public_values(reports):
    fixed, new_year = reports["fixed"], reports["new_year"]
    photo = Photo.objects.get(report=fixed, hidden=False, status=PhotoStatus.READY)
    rows = csv_rows(stream("csv"))

    assert [row["id"] for row in rows] == [str(fixed.pk), str(new_year.pk)]
    assert rows[0] == {
        "id": str(fixed.pk),
        "kategorie_code": "schlagloch",
        "kategorie": "Straßenschäden und Schlaglöcher",
        "fachbereich": "Amt für Digitalisierung",
        "status": "fixed",
        "status_bezeichnung": "erledigt",
        "open311_status": "closed",
        "eingegangen_am": "2024-05-01T10:00:00+02:00",
        "zuletzt_geaendert_am": "2024-05-03T14:30:45+02:00",
        "geschlossen_am": "2024-05-03T14:30:45+02:00",
        "lat": "49.142123",
        "lon": "9.210988",
        "adresse": "Hauptstraße 1, Musterstadt",
        "beschreibung": 'Schlagloch "tief"',
        "antworten": "2024-05-02: Wir kümmern uns.\n2024-05-03: Behoben.",
        "unterstuetzungen": "3",
        "url": f"{settings.SITE_URL}/anliegen/{fixed.pk}/",
        "fotos": f"{settings.SITE_URL}/anliegen/{fixed.pk}/fotos/{photo.pk}/",
        "angaben": "Tiefe (cm): 12,5\nArt des Schadens: Loch, Riss",
    }
    assert rows[1]["eingegangen_am"] == "2025-01-01T00:30:00+01:00"
    assert rows[1]["status_bezeichnung"] == "eingegangen"
    assert rows[1]["open311_status"] == "open"
    assert rows[1]["geschlossen_am"] == rows[1]["antworten"] == rows[1]["fotos"] == ""


@pytest.mark.django_db
def test_csv_bytes_are_rfc4180_utf8_without_bom(reports):
    data = stream("csv")
    header, first = data.split(b"\r\n")[:2]

    assert header == b",".join(name.encode() for name in dataset_module.CSV_HEADER)
    assert first.startswith(f"{reports['fixed'].pk},schlagloch,".encode())
    assert b'"Hauptstra\xc3\x9fe 1, Musterstadt","Schlagloch ""tief""","2024-05-02: Wir k' in data
    assert data.endswith(b"\r\n") and not data.startswith(b"\xef\xbb\xbf")


@pytest.mark.django_db
def test_geojson_has_a_point_feature_per_public_report_with_lists_of_answers_and_photos(reports):
    fixed = reports["fixed"]
    photo = Photo.objects.get(report=fixed, hidden=False, status=PhotoStatus.READY)
    document = json.loads(stream("geojson"))

    assert document["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in document["features"]] == [fixed.pk, reports["new_year"].pk]
    feature = document["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [9.210988, 49.142123]}
    assert feature["properties"] == {
        "id": fixed.pk,
        "kategorie_code": "schlagloch",
        "kategorie": "Straßenschäden und Schlaglöcher",
        "fachbereich": "Amt für Digitalisierung",
        "status": "fixed",
        "status_bezeichnung": "erledigt",
        "open311_status": "closed",
        "eingegangen_am": "2024-05-01T10:00:00+02:00",
        "zuletzt_geaendert_am": "2024-05-03T14:30:45+02:00",
        "geschlossen_am": "2024-05-03T14:30:45+02:00",
        "adresse": "Hauptstraße 1, Musterstadt",
        "beschreibung": 'Schlagloch "tief"',
        "antworten": [
            {"datum": "2024-05-02T09:00:00+02:00", "text": "Wir kümmern uns."},
            {"datum": "2024-05-03T14:30:45+02:00", "text": "Behoben."},
        ],
        "unterstuetzungen": 3,
        "url": f"{settings.SITE_URL}/anliegen/{fixed.pk}/",
        "fotos": [f"{settings.SITE_URL}/anliegen/{fixed.pk}/fotos/{photo.pk}/"],
        "angaben": [
            {"code": "tiefe", "frage": "Tiefe (cm)", "antwort": "12,5"},
            {"code": "art", "frage": "Art des Schadens", "antwort": "Loch, Riss"},
        ],
    }
    assert document["features"][1]["properties"]["geschlossen_am"] is None
    assert document["features"][1]["properties"]["antworten"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_no_personal_internal_hidden_or_pending_data_in_the_bytes(reports, fmt):
    data = stream(fmt).decode("utf-8")

    assert [secret for secret in SECRETS if secret in data] == []


@pytest.mark.django_db
def test_labels_are_german_whatever_the_active_language(reports):
    with translation.override("en"):
        english = stream("csv")

    assert english == stream("csv")
    assert csv_rows(english)[0]["status_bezeichnung"] == "erledigt"


@pytest.mark.django_db
def test_period_selects_reports_by_local_day_of_receipt_inclusive(reports):
    anliegen = get_dataset("anliegen")
    from_new_year = Period(start=datetime.date(2025, 1, 1))
    up_to_new_year = Period(end=datetime.date(2024, 12, 31))
    may_day = Period(datetime.date(2024, 5, 1), datetime.date(2024, 5, 1))

    assert [row["id"] for row in csv_rows(stream("csv", from_new_year))] == [str(reports["new_year"].pk)]
    assert [row["id"] for row in csv_rows(stream("csv", up_to_new_year))] == [str(reports["fixed"].pk)]
    assert [row["id"] for row in csv_rows(stream("csv", may_day))] == [str(reports["fixed"].pk)]
    assert csv_rows(stream("csv", Period(datetime.date(2030, 1, 1)))) == []
    assert [anliegen.row_count(p) for p in (Period(), from_new_year, up_to_new_year, may_day)] == [2, 1, 1, 1]


@pytest.mark.django_db
def test_metadata_dates_follow_the_public_and_hidden_reports(reports):
    anliegen = get_dataset("anliegen")
    reports["hidden"].updated_at = at("2025-02-01 12:00:00")
    reports["hidden"].save()
    reports["pending"].updated_at = at("2025-03-01 12:00:00")
    reports["pending"].save()

    DataChange.objects.all().delete()  # the fixture's new category is no rename to account for

    # Hiding a report stamps it: its row disappearing is a change of the download.
    assert anliegen.modified() == at("2025-02-01 12:00:00")
    assert anliegen.temporal() == (datetime.date(2024, 5, 1), datetime.date(2025, 1, 1))
    assert anliegen.supports_period and anliegen.frequency == "UPDATE_CONT"
    assert anliegen.landing_page() == "/anliegen/"


@pytest.mark.django_db
def test_renaming_a_category_moves_modified_on(reports, category):
    anliegen = get_dataset("anliegen")
    dataset_module.watch()
    before = anliegen.modified()

    category.name = "Schlaglöcher"
    category.save()

    assert anliegen.modified() > before


@pytest.mark.django_db
def test_empty_dataset_is_a_header_and_an_empty_collection():
    anliegen = get_dataset("anliegen")

    assert stream("csv") == (",".join(dataset_module.CSV_HEADER) + "\r\n").encode()
    assert json.loads(stream("geojson")) == {"type": "FeatureCollection", "features": []}
    assert anliegen.modified() is None and anliegen.temporal() is None and anliegen.row_count(Period()) == 0


@pytest.mark.django_db
def test_stream_is_lazy_one_query_of_reports_per_batch(make_report, monkeypatch, settings):
    """The live path (a period, or no stored blocks); whole downloads go block by block of ids, tested in
    test_reports_dataset_rendered_blocks."""
    settings.OPENDATA_RENDERED_BLOCKS = False
    monkeypatch.setattr(report_selectors, "BATCH_SIZE", 2)
    for day in range(1, 6):
        make_report(created_at=at(f"2024-03-0{day} 10:00:00"))

    def batch_queries(queries):
        return [q for q in queries if 'FROM "reports_report"' in q["sql"] and "LIMIT 2" in q["sql"]]

    chunks = get_dataset("anliegen").distribution("csv").stream(Period(), None)
    with CaptureQueriesContext(connection) as first:
        first_chunk = next(chunks)
    with CaptureQueriesContext(connection) as rest:
        remaining = list(chunks)

    assert first_chunk.count(b"\r\n") == 3  # the header and the first batch of two
    assert len(batch_queries(first.captured_queries)) == 1
    assert len(batch_queries(rest.captured_queries)) == 2
    assert sum(chunk.count(b"\r\n") for chunk in remaining) == 3


@pytest.mark.django_db
def test_a_report_changing_state_between_batches_keeps_its_place(make_report, monkeypatch):
    """Keyset batches by id: a report updated while the download runs is neither skipped nor repeated."""
    monkeypatch.setattr(report_selectors, "BATCH_SIZE", 1)
    made = [make_report(created_at=at(f"2024-03-0{day} 10:00:00")) for day in range(1, 4)]
    chunks = get_dataset("anliegen").distribution("csv").stream(Period(), None)
    data = next(chunks)
    Report.objects.filter(pk=made[0].pk).update(updated_at=at("2024-04-01 10:00:00"))
    data += b"".join(chunks)

    assert [row["id"] for row in csv_rows(data)] == [str(report.pk) for report in made]


@pytest.mark.django_db
def test_the_demo_reports_contain_no_email_phone_or_reporter_name():
    """Done-when of issue 5: the reports CSV and GeoJSON of the loaded demo carry no personal data."""
    import re

    from stadtdigital.reports.demo.loader import load_demo_reports

    load_demo_reports()
    personal = Report.objects.values_list("reporter_email", "reporter_phone", "reporter_name")
    emails = {email for email, _phone, _name in personal if email}
    phones = {phone for _email, phone, _name in personal if phone}
    names = {name for _email, _phone, name in personal if name}
    assert len(emails) > 100 and len(phones) > 50 and len(names) > 100  # the demo has reporters to leak
    assert (
        Report.objects.filter(visibility=Visibility.PUBLIC, show_name=True).exclude(reporter_name="").exists()
    )
    email_pattern = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
    phone_pattern = re.compile(r"\+\d{2}[ \d/-]{6,}\d|\b0\d{2,5}[ /-]\d{4,}")
    assert all(email_pattern.fullmatch(email) for email in emails)
    assert all(phone_pattern.fullmatch(phone) for phone in phones)

    for fmt in ("csv", "geojson"):
        text = stream(fmt).decode("utf-8")
        assert (
            text.count(f"{settings.SITE_URL}/anliegen/") >= Report.objects.filter(visibility="public").count()
        )
        assert email_pattern.findall(text) == [], fmt
        assert phone_pattern.findall(text) == [], fmt
        assert [value for value in emails | phones | names if value in text] == [], fmt


@pytest.mark.django_db
def test_a_period_batch_scattered_among_other_reports_keeps_its_answers(make_report, public_text):
    """A batch of a period with other reports between its ids is looked up by id, not by the id range."""
    made = [make_report(created_at=at(f"2024-0{month}-10 10:00:00")) for month in (1, 2, 2, 2, 2, 1)]
    for report in made:
        public_text(report, f"Antwort auf {report.pk}", at("2024-04-01 10:00:00"))
    january = (made[0], made[-1])

    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(stream("csv", Period(datetime.date(2024, 1, 1), datetime.date(2024, 1, 31))))

    assert [row["id"] for row in rows] == [str(report.pk) for report in january]
    assert [row["antworten"] for row in rows] == [f"2024-04-01: Antwort auf {r.pk}" for r in january]
    texts_query = next(q["sql"] for q in queries.captured_queries if 'FROM "reports_event"' in q["sql"])
    assert '"report_id" IN (' in texts_query


@pytest.mark.django_db
def test_datetimes_in_a_zone_of_half_hours(reports, settings):
    """Asia/Kolkata (+05:30): the inline hour parts do not apply, the export moves to minutes and still
    writes what zoneinfo gives (writers.LocalTimes)."""
    settings.TIME_ZONE = "Asia/Kolkata"
    row = csv_rows(stream("csv"))[0]
    feature = json.loads(stream("geojson"))["features"][0]["properties"]

    assert row["eingegangen_am"] == feature["eingegangen_am"] == "2024-05-01T13:30:00+05:30"
    assert row["geschlossen_am"] == feature["geschlossen_am"] == "2024-05-03T18:00:45+05:30"
    assert row["antworten"] == "2024-05-02: Wir kümmern uns.\n2024-05-03: Behoben."
    assert [answer["datum"] for answer in feature["antworten"]] == [
        "2024-05-02T12:30:00+05:30",
        "2024-05-03T18:00:45+05:30",
    ]
