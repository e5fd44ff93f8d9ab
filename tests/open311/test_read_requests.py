"""GET requests.{json,xml}: fields, nesting, every filter and extension, errors, privacy, query count."""

import datetime
import json

import pytest
from django.utils import timezone

from stadtdigital.reports.models import (
    OPEN_STATES,
    EventKind,
    PhotoStatus,
    Report,
    State,
    Visibility,
)
from stadtdigital.reports.services.history import record_event

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "lat",
    "long",
    "media_url",
]

pytestmark = pytest.mark.django_db


def ids(doc):
    return [int(item["service_request_id"]) for item in doc]


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def report(make_report, add_photo, settings):
    settings.SITE_URL = "https://stadt.example"
    report = make_report(
        address="Bahnhofstraße 12",
        reporter_name="Erika Geheim",
        reporter_email="erika@example.org",
        reporter_phone="0171 999999",
        show_name=True,
        due_at=days_ago(-5),
    )
    record_event(report, EventKind.NOTE, internal_note="Interne Notiz: Anwohner ist schwierig")
    record_event(
        report,
        EventKind.STATE,
        from_state=State.RECEIVED,
        to_state=State.IN_PROGRESS,
        public_text="Wir kümmern uns.",
        internal_note="intern: Bauhof Kolonne 3",
        at=days_ago(0.5),
    )
    Report.objects.filter(pk=report.pk).update(state=State.IN_PROGRESS)
    add_photo(report, hidden=True, position=0)
    report.first_visible_photo = add_photo(report, position=1)
    add_photo(report, status=PhotoStatus.PENDING, position=2)
    return report


def test_requests_json_fields(get311, report, category):
    category.notice = "Wird binnen 10 Tagen geprüft."
    category.save()
    response, doc = get311("requests.json")
    assert response.status_code == 200
    (item,) = doc
    assert list(item) == REQUEST_FIELDS
    assert item["service_request_id"] == str(report.pk)
    assert item["status"] == "open"
    assert item["status_notes"] == "Wir kümmern uns."
    assert item["service_name"] == "Straßenschäden und Schlaglöcher"
    assert item["service_code"] == "schlagloch"
    assert item["description"] == "Tiefes Schlagloch vor Hausnummer 12"
    assert item["agency_responsible"] == "Amt für Digitalisierung"
    assert item["service_notice"] == "Wird binnen 10 Tagen geprüft."
    requested = datetime.datetime.fromisoformat(item["requested_datetime"])
    assert requested.utcoffset() is not None
    assert abs(requested - report.created_at) < datetime.timedelta(seconds=1)
    assert item["requested_datetime"][-6:] in ("+01:00", "+02:00")  # Europe/Berlin, with its offset
    assert datetime.datetime.fromisoformat(item["expected_datetime"]) > timezone.now()
    assert item["address"] == "Bahnhofstraße 12"
    assert "address_id" not in item and "zipcode" not in item  # no value: left out, never null
    assert (item["lat"], item["long"]) == (49.142, 9.21)
    photo = report.first_visible_photo
    assert item["media_url"] == f"https://stadt.example/anliegen/{report.pk}/fotos/{photo.pk}/"
    assert "extended_attributes" not in item


def test_requests_xml_nesting(get311, report):
    response, root = get311("requests.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    # the category has no notice: left out, as in JSON
    assert [child.tag for child in request] == [name for name in REQUEST_FIELDS if name != "service_notice"]
    assert request.findtext("status_notes") == "Wir kümmern uns."
    assert request.findtext("lat") == "49.142"
    assert request.findtext("address") == "Bahnhofstraße 12"
    assert request.find("zipcode") is None


def test_closed_report_and_empty_fields(get311, make_report):
    report = make_report(state=State.FIXED, description="")
    _, doc = get311("requests.json")
    assert doc[0]["status"] == "closed"
    assert "description" not in doc[0] and "media_url" not in doc[0]
    assert "status_notes" not in doc[0] and "expected_datetime" not in doc[0]
    _, root = get311("requests.xml")
    assert root.find("request/status").text == "closed"
    assert str(report.pk) == doc[0]["service_request_id"]


def test_xml_survives_control_characters(get311, make_report):
    make_report(description="Loch\x0bmit\x1f Steuerzeichen & <Klammern>")
    response, root = get311("requests.xml")
    assert root.findtext("request/description") == "Lochmit Steuerzeichen & <Klammern>"


def test_only_public_reports(get311, make_report):
    public = make_report()
    make_report(visibility=Visibility.HIDDEN)
    make_report(visibility=Visibility.PENDING_CONFIRMATION)
    _, doc = get311("requests.json")
    assert ids(doc) == [public.pk]


def test_privacy_in_every_response(get311, report, make_report):
    hidden = make_report(visibility=Visibility.HIDDEN, description="verborgen-text")
    pending = make_report(visibility=Visibility.PENDING_CONFIRMATION, description="wartend-text")
    bodies = []
    for fmt in ("json", "xml"):
        for path, query in [
            ("requests", {}),
            ("requests", {"extensions": "true"}),
            ("requests", {"service_request_id": f"{report.pk},{hidden.pk},{pending.pk}"}),
            (f"requests/{report.pk}", {"extensions": "true"}),
            ("servicerequestupdates", {}),
        ]:
            response, _ = get311(f"{path}.{fmt}", **query)
            assert response.status_code == 200
            bodies.append(response.content.decode())
    for body in bodies:
        for secret in (
            "Erika",
            "Geheim",
            "erika@example.org",
            "0171",
            "Interne Notiz",
            "Kolonne",
            "verborgen-text",
            "wartend-text",
            str(report.confirmation_token),
        ):
            assert secret not in body


def test_extensions(get311, report, settings):
    record_event(report, EventKind.ANSWER, public_text="Termin steht fest.", at=days_ago(0.2))
    Report.objects.filter(pk=report.pk).update(supporters_count=4)
    _, doc = get311("requests.json", extensions="true")
    extended = doc[0]["extended_attributes"]
    assert doc[0]["status_notes"] == "Termin steht fest."  # the latest public text of the city
    assert extended["detailed_status"] == "in_progress"
    assert extended["detailed_status_label"] == "in Bearbeitung"
    assert extended["media_urls"] == [
        f"https://stadt.example/anliegen/{report.pk}/fotos/{report.first_visible_photo.pk}/"
    ]
    assert extended["supporters_count"] == 4
    history = extended["status_history"]
    assert [h["detailed_status"] for h in history] == ["received", "in_progress"]
    assert [h["status"] for h in history] == ["open", "open"]
    assert history[1]["description"] == "Wir kümmern uns."
    assert set(history[0]) == {  # no public text: no description (left out, never null)
        "updated_datetime",
        "status",
        "detailed_status",
        "detailed_status_label",
    }
    assert set(history[1]) == {*history[0], "description"}
    _, root = get311("requests.xml", extensions="true")
    extended = root.find("request/extended_attributes")
    assert [c.tag for c in extended] == [
        "detailed_status",
        "detailed_status_label",
        "media_urls",
        "supporters_count",
        "status_history",
        "attributes",
    ]
    assert len(extended.findall("media_urls/media_url")) == 1
    assert [e.findtext("detailed_status") for e in extended.findall("status_history/status_change")] == [
        "received",
        "in_progress",
    ]
    _, doc = get311("requests.json", extensions="false")
    assert "extended_attributes" not in doc[0]


def test_service_request_id_overrides_other_filters(get311, make_report, other_category):
    old = make_report(created_at=days_ago(400), state=State.FIXED)
    other = make_report(category=other_category)
    make_report()
    _, doc = get311(
        "requests.json",
        service_request_id=f"{old.pk}, {other.pk},999999",
        service_code="schlagloch",
        status="open",
        start_date="2001-01-01T00:00:00Z",
        page="7",
    )
    assert sorted(ids(doc)) == sorted([old.pk, other.pk])


def test_service_code_filter(get311, make_report, category, other_category):
    first = make_report()
    second = make_report(category=other_category)
    _, doc = get311("requests.json", service_code="spielplatz")
    assert ids(doc) == [second.pk]
    _, doc = get311("requests.json", service_code="spielplatz,schlagloch")
    assert set(ids(doc)) == {first.pk, second.pk}
    _, doc = get311("requests.json", service_code="unbekannt")
    assert doc == []
    _, root = get311("requests.xml", service_code="unbekannt")
    assert root.tag == "service_requests" and len(root) == 0


def test_default_window_is_90_days(get311, make_report):
    recent = make_report(created_at=days_ago(89))
    make_report(created_at=days_ago(91))
    _, doc = get311("requests.json")
    assert ids(doc) == [recent.pk]


def test_start_and_end_date(get311, make_report):
    a = make_report(created_at=datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC))
    b = make_report(created_at=datetime.datetime(2024, 4, 1, 12, tzinfo=datetime.UTC))
    c = make_report(created_at=datetime.datetime(2024, 9, 1, 12, tzinfo=datetime.UTC))
    _, doc = get311("requests.json", start_date="2024-02-01T00:00:00Z", end_date="2024-03-15T00:00:00+01:00")
    assert ids(doc) == [a.pk]
    _, doc = get311("requests.json", start_date="2024-03-01T13:00:00+01:00")  # start + 90 days
    assert ids(doc) == [b.pk, a.pk]
    _, doc = get311("requests.json", end_date="2024-09-02T00:00:00Z")  # 90 days up to end
    assert ids(doc) == [c.pk]
    _, doc = get311("requests.json", start_date="2024-03-01", end_date="2024-04-01T12:00:00Z")
    assert ids(doc) == [b.pk, a.pk]
    _, doc = get311("requests.json", start_date="", end_date="")  # empty = absent
    assert doc == []


def test_status_filter(get311, make_report):
    received = make_report(state=State.RECEIVED)
    progress = make_report(state=State.IN_PROGRESS)
    fixed = make_report(state=State.FIXED)
    rejected = make_report(state=State.REJECTED)
    _, doc = get311("requests.json", status="open")
    assert set(ids(doc)) == {received.pk, progress.pk}
    _, doc = get311("requests.json", status="closed")
    assert set(ids(doc)) == {fixed.pk, rejected.pk}
    _, doc = get311("requests.json", status="open,closed")
    assert len(doc) == 4
    _, doc = get311("requests.json", status="fixed")  # extension: a detailed status
    assert ids(doc) == [fixed.pk]
    _, doc = get311("requests.json", status="fixed,open")
    assert set(ids(doc)) == {received.pk, progress.pk, fixed.pk}


def test_pagination(get311, make_report):
    reports = [make_report(created_at=days_ago(1 + i / 100)) for i in range(5)]
    _, doc = get311("requests.json", page_size="2")
    assert ids(doc) == [reports[0].pk, reports[1].pk]
    _, doc = get311("requests.json", page_size="2", page="3")
    assert ids(doc) == [reports[4].pk]
    _, doc = get311("requests.json", page_size="2", page="4")
    assert doc == []


def test_default_limit_is_1000(get311, category):
    now = timezone.now()
    Report.objects.bulk_create(
        Report(
            category=category,
            department=category.department,
            lat=49.14,
            lon=9.21,
            created_at=now - datetime.timedelta(minutes=i),
            updated_at=now,
        )
        for i in range(1001)
    )
    _, doc = get311("requests.json")
    assert len(doc) == 1000
    _, doc = get311("requests.json", page="2")
    assert len(doc) == 1


def test_bbox_is_west_south_east_north(get311, make_report):
    inside = make_report(lat=49.15, lon=9.20)
    make_report(lat=49.18, lon=9.20)
    _, doc = get311("requests.json", bbox="9.19,49.14,9.21,49.16")
    assert ids(doc) == [inside.pk]
    _, doc = get311("requests.json", bbox="49.14,9.19,49.16,9.21")  # lat first: nothing there
    assert doc == []


def test_lat_long_radius(get311, make_report):
    near = make_report(lat=49.1420, lon=9.2100)
    edge = make_report(lat=49.1420, lon=9.2150)  # ~365 m east
    make_report(lat=49.1500, lon=9.2100)  # ~890 m north
    _, doc = get311("requests.json", lat="49.142", long="9.21", radius="300")
    assert ids(doc) == [near.pk]
    _, doc = get311("requests.json", lat="49.142", long="9.21", radius="400")
    assert set(ids(doc)) == {near.pk, edge.pk}
    _, doc = get311("requests.json", lat="49.142", long="9.21")  # default radius 1000 m
    assert len(doc) == 3


def test_updated_after_and_before(get311, make_report):
    old_but_changed = make_report(created_at=days_ago(300))
    Report.objects.filter(pk=old_but_changed.pk).update(updated_at=days_ago(1))
    unchanged = make_report(created_at=days_ago(10))
    Report.objects.filter(pk=unchanged.pk).update(updated_at=days_ago(10))
    since = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    _, doc = get311("requests.json", updated_after=since)
    assert ids(doc) == [old_but_changed.pk]  # not limited to the last 90 days
    _, doc = get311("requests.json", updated_before=since)
    assert ids(doc) == [unchanged.pk]
    _, doc = get311("requests.json", updated_after=since, start_date=days_ago(30).isoformat())
    assert doc == []


def test_text_search(get311, make_report):
    lamp = make_report(description="Laterne defekt", address="Hauptstraße 3")
    make_report(description="Schlagloch")
    _, doc = get311("requests.json", q="laterne")
    assert ids(doc) == [lamp.pk]
    _, doc = get311("requests.json", q="hauptstraße laterne")
    assert ids(doc) == [lamp.pk]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"start_date": "gestern"}, "start_date"),
        ({"end_date": "2024-13-01T00:00:00Z"}, "end_date"),
        ({"start_date": "0001-01-01T00:00:00Z"}, "start_date"),
        ({"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "2024-06-01T00:00:00Z", "end_date": "2024-01-01T00:00:00Z"}, "end_date"),
        ({"updated_after": "x"}, "updated_after"),
        ({"updated_before": "2024-01-01T00:00:00Z", "updated_after": "2024-02-01T00:00:00Z"}, "updated"),
        ({"status": "offen"}, "status"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "99999999999999999999999"}, "page"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "abc"}, "page_size"),
        ({"service_request_id": "1,abc"}, "service_request_id"),
        ({"service_request_id": "99999999999999999999999"}, "service_request_id"),
        ({"service_request_id": ",".join(["1"] * 1001)}, "service_request_id"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "9.3,49.1,9.2,49.2"}, "bbox"),
        ({"bbox": "nan,1,2,3"}, "bbox"),
        ({"lat": "49.1"}, "lat and long"),
        ({"radius": "100"}, "lat and long"),
        ({"lat": "91", "long": "9"}, "lat"),
        ({"lat": "49", "long": "inf"}, "long"),
        ({"lat": "49", "long": "9", "radius": "1e9"}, "radius"),
        ({"extensions": "vielleicht"}, "extensions"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "x" * 3000}, "q"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_parameters_are_400_naming_the_parameter(get311, category, query, parameter, fmt):
    response, doc = get311(f"requests.{fmt}", **query)
    assert response.status_code == 400
    if fmt == "json":
        assert doc == [{"code": 400, "description": doc[0]["description"]}]
        description = doc[0]["description"]
    else:
        assert doc.tag == "errors"
        assert [child.tag for child in doc.find("error")] == ["code", "description"]
        assert doc.findtext("error/code") == "400"
        description = doc.findtext("error/description")
    assert parameter in description


def test_query_count_does_not_grow_with_rows(get311, make_report, add_photo, django_assert_num_queries):
    for i in range(12):
        report = make_report(created_at=days_ago(1 + i / 100))
        add_photo(report)
        add_photo(report, position=1)
        record_event(report, EventKind.ANSWER, public_text=f"Antwort {i}")
    # + 1 each: the validators (ETag, Last-Modified), read before the page
    with django_assert_num_queries(4):  # the page, the latest public texts, the first photos
        response, doc = get311("requests.json")
    assert len(doc) == 12 and all(item["media_url"] and item["status_notes"] for item in doc)
    with django_assert_num_queries(4):
        get311("requests.xml", service_code="schlagloch", status="open", bbox="9,49,10,50", q="Schlagloch")
    with django_assert_num_queries(7):  # + all photos, + status history, + questions with public answers
        get311("requests.json", extensions="true", lat="49.142", long="9.21", radius="500")


def test_head_and_cache_headers(client, make_report):
    make_report()
    response = client.head("/open311/v2/requests.json")
    assert response.status_code == 200
    response = client.get("/open311/v2/requests.json")
    assert "public" in response["Cache-Control"]
    json.loads(response.content)


@pytest.mark.parametrize("state", sorted(OPEN_STATES))
def test_every_open_state_is_open(get311, make_report, state):
    make_report(state=state)
    _, doc = get311("requests.json")
    assert doc[0]["status"] == "open"
