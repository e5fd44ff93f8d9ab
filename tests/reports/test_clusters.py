"""/anliegen/karte.json: server-side clusters and single points, parameter validation, no personal data."""

import random

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from stadtdigital.reports.models import Report, State, Visibility
from stadtdigital.reports.selectors import clusters

pytestmark = pytest.mark.django_db

CITY = "49.10,9.13,49.19,9.28"


def map_data(client, **params):
    return client.get(reverse("reports:map-data"), params)


@pytest.fixture
def many_reports(make_report):
    """300 open public reports in two hot spots, plus hidden/pending/closed ones that must not count."""
    rng = random.Random(4)
    for _ in range(200):
        make_report(lat=49.140 + rng.random() * 0.004, lon=9.210 + rng.random() * 0.004)
    for _ in range(100):
        make_report(lat=49.170 + rng.random() * 0.004, lon=9.150 + rng.random() * 0.004)
    make_report(lat=49.141, lon=9.211, visibility=Visibility.HIDDEN)
    make_report(lat=49.141, lon=9.211, visibility=Visibility.PENDING_CONFIRMATION)
    make_report(lat=49.141, lon=9.211, state=State.FIXED)


def test_cluster_counts_add_up_to_matching_reports(client, many_reports):
    response = map_data(client, bbox=CITY, zoom=12)
    assert response.status_code == 200
    data = response.json()
    assert data["clustered"] is True
    counted = sum(f["properties"].get("count", 1) for f in data["features"])
    assert counted == data["total"] == 300
    assert any(f["properties"].get("cluster") for f in data["features"])
    for feature in data["features"]:
        if feature["properties"].get("cluster"):
            south, west, north, east = feature["properties"]["bbox"]
            lon, lat = feature["geometry"]["coordinates"]
            assert south <= lat <= north and west <= lon <= east
    # with every state: the fixed one is counted too, hidden and pending never
    assert map_data(client, bbox=CITY, zoom=12, status="alle").json()["total"] == 301


def test_counts_add_up_at_every_zoom(client, many_reports):
    for zoom in range(10, 19):
        data = map_data(client, bbox=CITY, zoom=zoom).json()
        assert sum(f["properties"].get("count", 1) for f in data["features"]) == 300, zoom


def test_single_points_at_high_zoom_without_personal_data(client, make_report):
    report = make_report(
        lat=49.1401,
        lon=9.2101,
        reporter_name="Erika Geheim",
        reporter_email="erika@example.org",
        reporter_phone="0171 999",
        show_name=True,
    )
    make_report(lat=49.1402, lon=9.2102)
    data = map_data(client, bbox="49.139,9.209,49.142,9.212", zoom=17).json()
    assert data["clustered"] is False
    points = {f["properties"]["id"]: f for f in data["features"]}
    assert set(points) == {report.pk, report.pk + 1}
    point = points[report.pk]
    assert point["geometry"]["coordinates"] == [9.2101, 49.1401]
    assert point["properties"]["state"] == "received"
    assert point["properties"]["category"] == "schlagloch"
    assert point["properties"]["url"] == reverse("reports:detail", kwargs={"pk": report.pk})
    text = map_data(client, bbox="49.139,9.209,49.142,9.212", zoom=17).content.decode()
    for secret in ("Erika", "erika@example.org", "0171"):
        assert secret not in text


def test_hidden_and_pending_reports_never_in_map_data(client, make_report):
    make_report(visibility=Visibility.HIDDEN)
    make_report(visibility=Visibility.PENDING_CONFIRMATION)
    for status in ("offen", "alle", "received"):
        data = map_data(client, bbox=CITY, zoom=17, status=status).json()
        assert data["total"] == 0 and data["features"] == []


def test_filters_apply_to_map_data(client, make_report, other_category):
    make_report()
    make_report(category=other_category, description="Schaukel kaputt")
    assert map_data(client, bbox=CITY, zoom=13, kategorie="spielplatz").json()["total"] == 1
    assert map_data(client, bbox=CITY, zoom=13, q="Schaukel").json()["total"] == 1
    assert map_data(client, bbox=CITY, zoom=13).json()["total"] == 2


def test_singletons_within_clusters_are_points(client, many_reports, make_report):
    lonely = make_report(lat=49.105, lon=9.27)
    data = map_data(client, bbox=CITY, zoom=13).json()
    ids = [f["properties"]["id"] for f in data["features"] if not f["properties"].get("cluster")]
    assert lonely.pk in ids


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"zoom": 12},
        {"bbox": CITY},
        {"bbox": "1,2,3", "zoom": 12},
        {"bbox": "a,b,c,d", "zoom": 12},
        {"bbox": "49.19,9.13,49.10,9.28", "zoom": 12},  # south > north
        {"bbox": "nan,9.13,49.10,9.28", "zoom": 12},
        {"bbox": "-91,9.13,49.10,9.28", "zoom": 12},
        {"bbox": CITY, "zoom": "x"},
        {"bbox": CITY, "zoom": 99},
        {"bbox": CITY, "zoom": -1},
        {"bbox": CITY, "zoom": 12, "von": "kein-datum"},
        {"bbox": CITY, "zoom": 12, "kategorie": "gibt-es-nicht"},
        {"bbox": "-80,-170,80,170", "zoom": 22},  # far more cells than any screen
    ],
)
def test_bad_parameters_give_400_json(client, params):
    response = map_data(client, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_cache_headers(client, make_report):
    make_report()
    response = map_data(client, bbox=CITY, zoom=13)
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]


@pytest.mark.parametrize("value", [-7.5, -2.0, -0.5, 0.0, 0.5, 2.0, 7.5, 3.9999])
def test_floor_expression_is_floor_also_for_negatives(make_report, value):
    import math

    report = make_report()
    Report.objects.filter(pk=report.pk).update(lat=value)
    row = (
        Report.objects.filter(pk=report.pk)
        .annotate(cell=clusters.FloorInt(F("lat") / 1.0))
        .values_list("cell", flat=True)
        .get()
    )
    assert row == math.floor(value), connection.vendor


def test_cell_size_shrinks_with_zoom():
    height12, width12 = clusters.cell_size(12, 49.1)
    height17, width17 = clusters.cell_size(17, 49.1)
    assert width12 == pytest.approx(width17 * 32)
    assert height12 < width12


def test_thousands_of_one_report_cells_are_answered(client, category):
    """Regression: one OR per one-report cell made SQLite refuse the query (expression tree too large)."""
    now = timezone.now()
    rows = [
        Report(
            category=category,
            department=category.department,
            lat=49.101 + (i // 40) * 0.0022,
            lon=9.131 + (i % 40) * 0.0036,
            created_at=now,
            updated_at=now,
        )
        for i in range(1600)
    ]
    Report.objects.bulk_create(rows)
    response = map_data(client, bbox=CITY, zoom=16)
    assert response.status_code == 200
    body = response.json()
    assert body["clustered"] is True and body["total"] == 1600
    points = [f for f in body["features"] if not f["properties"].get("cluster")]
    assert len(points) == clusters.MAX_POINTS  # capped, every one a real report
    assert all(f["properties"]["id"] for f in points)
