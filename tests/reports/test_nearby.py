"""'Schon gemeldet?': same category, open, public, within the radius, last 90 days, nearest first."""

import datetime

from django.utils import timezone

from stadtdigital.reports.models import State, Visibility
from stadtdigital.reports.selectors.nearby import nearby_open_reports

LAT, LON = 49.142, 9.21
M = 1 / 111_320  # one metre of latitude in degrees


def test_only_matching_reports_nearest_first(make_report, other_category):
    far = make_report(lat=LAT + 40 * M)
    near = make_report(lat=LAT + 10 * M)
    make_report(lat=LAT + 60 * M)  # outside 50 m
    make_report(lat=LAT, lon=LON + 0.001)  # ~73 m east
    make_report(category=other_category)
    make_report(state=State.FIXED)
    make_report(visibility=Visibility.PENDING_CONFIRMATION)
    make_report(visibility=Visibility.HIDDEN)
    make_report(created_at=timezone.now() - datetime.timedelta(days=91))
    found = nearby_open_reports(near.category, LAT, LON)
    assert [item.report for item in found] == [near, far]
    assert round(found[0].distance_m) == 10 and round(found[1].distance_m) == 40


def test_radius_days_limit_and_category_id(make_report, category):
    for metres in range(5):
        make_report(lat=LAT + metres * 20 * M)
    assert len(nearby_open_reports(category, LAT, LON, radius_m=100)) == 5
    assert len(nearby_open_reports(category.pk, LAT, LON, limit=2)) == 2
    old = make_report(created_at=timezone.now() - datetime.timedelta(days=100))
    assert old not in [item.report for item in nearby_open_reports(category, LAT, LON)]
    assert (
        len(nearby_open_reports(category, LAT, LON, days=120, limit=20)) == 4
    )  # 50 m: 0, 20, 40 m + old one


def test_query_uses_few_queries(make_report, category, django_assert_max_num_queries):
    make_report()
    with django_assert_max_num_queries(2):  # the candidates and their photos
        nearby_open_reports(category, LAT, LON)
