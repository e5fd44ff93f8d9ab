"""What every map of the reports app is configured with: tiles or the offline basemap, bounds, centre."""

from django.conf import settings
from django.urls import reverse


def map_config() -> dict:
    south, west, north, east = settings.CITY_BOUNDS
    return {
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        # Without a tile server, maps draw this GeoJSON (streets, landmarks) so they are usable offline.
        "basemap": reverse("reports:basemap")
        if not settings.MAP_TILES_URL and settings.MAP_FALLBACK_GEOJSON
        else "",
        "bounds": [[south, west], [north, east]],
        "center": list(settings.MAP_CENTER),
        "zoom": settings.MAP_DEFAULT_ZOOM,
    }
