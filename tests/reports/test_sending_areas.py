"""Areas of responsibility: GeoJSON import, point-in-polygon routing by category and area, the citizen is
told who handles it, the back office map page."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from stadtdigital.reports.models import Area, CategorySending, Dispatch, EventKind, SendMethod, SendTarget
from stadtdigital.reports.sending.areas import area_for
from stadtdigital.reports.sending.routing import target_for
from stadtdigital.reports.services.intake import ReportInput, submit_report

# A Kreisstraße corridor crossing the demo city (lon 9.19-9.20) and a square with a hole (a park).
CORRIDOR = [[[9.19, 49.10], [9.20, 49.10], [9.20, 49.19], [9.19, 49.19], [9.19, 49.10]]]
PARK_WITH_HOLE = [
    [[9.22, 49.13], [9.24, 49.13], [9.24, 49.15], [9.22, 49.15], [9.22, 49.13]],
    [[9.225, 49.135], [9.235, 49.135], [9.235, 49.145], [9.225, 49.145], [9.225, 49.135]],
]


def geojson(tmp_path, features, name="gebiete.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def feature(name, coordinates, kind="Polygon"):
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


@pytest.fixture
def landkreis(db):
    return SendTarget.objects.create(name="Landratsamt", method=SendMethod.EMAIL, endpoint="post@lra.example")


def run(*args):
    out = StringIO()
    call_command("reports", "import-areas", *args, stdout=out)
    return out.getvalue()


def test_import_keeps_polygons_and_names_what_it_skips(tmp_path, landkreis):
    bowtie = [[[9.1, 49.1], [9.2, 49.2], [9.2, 49.1], [9.1, 49.2], [9.1, 49.1]]]
    path = geojson(
        tmp_path,
        [
            feature("K 2110", CORRIDOR),
            feature("Park", PARK_WITH_HOLE),
            feature("Weg", [[9.1, 49.1], [9.2, 49.2]], "LineString"),
            feature("Schleife", bowtie),
        ],
    )
    output = run(path, "--body", "landratsamt")
    assert "2 Gebiete" in output
    assert "Weg: keine Fläche (LineString)" in output and "Schleife: ungültige Fläche" in output
    corridor = Area.objects.get(name="K 2110")
    assert (corridor.south, corridor.west, corridor.north, corridor.east) == (49.10, 9.19, 49.19, 9.20)
    assert corridor.target == landkreis
    # --replace swaps the body's areas instead of adding them again.
    run(geojson(tmp_path, [feature("K 2110", CORRIDOR)], "neu.geojson"), "--body", "Landratsamt", "--replace")
    assert list(Area.objects.values_list("name", flat=True)) == ["K 2110"]


def test_import_refuses_unknown_body_and_broken_files(tmp_path, landkreis):
    with pytest.raises(CommandError, match="Keine Empfangsstelle und kein Fachbereich"):
        run(geojson(tmp_path, [feature("K", CORRIDOR)]), "--body", "Niemand")
    broken = tmp_path / "kaputt.geojson"
    broken.write_text("{")
    with pytest.raises(CommandError):
        run(str(broken), "--body", "Landratsamt")
    assert not Area.objects.exists()


def test_point_in_polygon_respects_holes_edges_and_categories(tmp_path, landkreis, category, other_category):
    run(
        geojson(tmp_path, [feature("Park", PARK_WITH_HOLE)]),
        "--body",
        "Landratsamt",
        "--category",
        "spielplatz",
    )
    run(geojson(tmp_path, [feature("K 2110", CORRIDOR)], "k.geojson"), "--body", "Landratsamt")
    assert area_for(49.14, 9.23, other_category.pk) is None  # in the hole
    assert area_for(49.132, 9.23, other_category.pk).name == "Park"
    assert area_for(49.132, 9.23, category.pk) is None  # the park is only for playgrounds
    assert area_for(49.15, 9.19, category.pk).name == "K 2110"  # on the edge counts as inside
    assert area_for(49.15, 9.2001, category.pk) is None


def test_report_in_an_outside_bodys_area_goes_there_and_the_citizen_is_told(
    tmp_path, landkreis, category, department, mailoutbox, django_capture_on_commit_callbacks
):
    own = SendTarget.objects.create(name="Tiefbau", method=SendMethod.RECORD, department=department)
    CategorySending.objects.create(category=category, target=own)
    run(geojson(tmp_path, [feature("K 2110", CORRIDOR)]), "--body", "Landratsamt")
    data = ReportInput(
        category="schlagloch",
        lat=49.15,
        lon=9.195,
        description="Loch auf der K 2110",
        reporter_email="anna@example.org",
        privacy_consent=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(data, client_ip="203.0.113.7", user=None).report
        from stadtdigital.reports.services.confirmation import confirm_report

        confirm_report(report.confirmation_token)
    dispatch = Dispatch.objects.get(report=report)
    assert dispatch.target == landkreis
    assert [m.to for m in mailoutbox if m.to == ["post@lra.example"]] == [["post@lra.example"]]
    told = report.events.get(kind=EventKind.ANSWER, is_public=True)
    assert "Zuständig ist: Landratsamt" in told.public_text
    assert any("Landratsamt" in m.body for m in mailoutbox if m.to == ["anna@example.org"])
    # Outside the area, the category's own target.
    outside = submit_report(
        ReportInput(category="schlagloch", lat=49.15, lon=9.25, description="Loch in der Innenstadt"),
        client_ip="203.0.113.7",
    ).report
    assert target_for(outside) == own


def test_areas_page_and_geojson_for_the_digital_office_only(
    client, tmp_path, landkreis, digital_office_user, department_user
):
    run(geojson(tmp_path, [feature("K 2110", CORRIDOR)]), "--body", "Landratsamt")
    client.force_login(department_user)
    assert client.get(reverse("reports:sending-areas")).status_code == 403
    client.force_login(digital_office_user)
    page = client.get(reverse("reports:sending-areas")).content.decode()
    assert "K 2110" in page and "Landratsamt" in page
    data = client.get(reverse("reports:sending-areas-geojson")).json()
    assert data["features"][0]["properties"]["body"] == "Landratsamt"
    assert data["features"][0]["geometry"]["coordinates"] == CORRIDOR
