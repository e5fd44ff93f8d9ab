"""What every map of the reports app is configured with: tiles or the offline basemap, bounds, centre."""

from django.conf import settings
from django.templatetags.static import static
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
        # Leaflet guesses its marker images' folder from leaflet.css; with hashed static names the guess
        # fails and the pin is requested next to the page (404). So the maps get the real addresses.
        "marker_icons": {
            "iconUrl": static("vendor/leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
        },
    }
