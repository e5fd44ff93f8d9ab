import json

from stadtdigital.reports.maps import map_config


def test_offline_basemap_is_served_as_geojson(client, db):
    response = client.get("/anliegen/basiskarte.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    geojson = json.loads(b"".join(response.streaming_content))
    assert geojson["type"] == "FeatureCollection"
    assert any(f["geometry"]["type"] == "LineString" for f in geojson["features"])


def test_maps_use_the_basemap_only_without_a_tile_server(settings, db):
    settings.MAP_TILES_URL = ""
    assert map_config()["basemap"] == "/anliegen/basiskarte.geojson"
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert map_config()["basemap"] == ""


def test_no_basemap_configured_gives_404(client, settings, db):
    settings.MAP_FALLBACK_GEOJSON = ""
    assert client.get("/anliegen/basiskarte.geojson").status_code == 404
