"""Requests in a small area are read through the map index; results are the same as for a large area."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from stadtdigital.open311 import selectors
from stadtdigital.open311.views import read
from stadtdigital.reports.selectors.clusters import BBox

STREET = "9.2080,49.1406,9.2120,49.1434"  # west,south,east,north: about 300 x 300 m
DISTRICT = "9.19,49.13,9.23,49.15"


def ids(doc):
    return [int(item["service_request_id"]) for item in doc]


def test_a_street_is_a_small_area_and_a_district_is_not(settings):
    settings.CITY_BOUNDS = (49.10, 9.13, 49.19, 9.28)
    assert selectors.reads_area_first(BBox(49.1406, 9.2080, 49.1434, 9.2120))
    assert not selectors.reads_area_first(BBox(49.13, 9.19, 49.15, 9.23))
    assert not selectors.reads_area_first(BBox(*settings.CITY_BOUNDS))


@pytest.mark.parametrize("bbox", [STREET, DISTRICT])
def test_requests_in_an_area_come_newest_first_within_the_period(get311, make_report, bbox):
    now = timezone.now()
    older = make_report(lat=49.1420, lon=9.2100, created_at=now - datetime.timedelta(days=3))
    newer = make_report(lat=49.1421, lon=9.2101, created_at=now - datetime.timedelta(days=1))
    make_report(lat=49.1420, lon=9.2100, created_at=now - datetime.timedelta(days=200))  # outside 90 days
    make_report(lat=49.1800, lon=9.2500)  # outside both boxes
    _, doc = get311("requests.json", bbox=bbox)
    assert ids(doc) == [newer.pk, older.pk]
    _, doc = get311(
        "requests.json",
        bbox=bbox,
        start_date=(now - datetime.timedelta(days=2)).isoformat(timespec="seconds"),
    )
    assert ids(doc) == [newer.pk]


def test_a_small_radius_reads_like_a_small_box(get311, make_report):
    near = make_report(lat=49.1420, lon=9.2100)
    make_report(lat=49.1420, lon=9.2150)  # ~365 m away
    _, doc = get311("requests.json", lat="49.142", long="9.21", radius="200")
    assert ids(doc) == [near.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner has no statistics to go by")
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bbox", "index"), [(STREET, "report_map_idx"), (DISTRICT, "report_public_created_idx")]
)
def test_sqlite_reads_a_street_by_area_and_a_district_by_period(bbox, index):
    queryset, offset, limit = read.filtered_requests(QueryDict(f"bbox={bbox}"))
    plan = queryset[offset : offset + limit].explain()
    assert index in plan, plan
