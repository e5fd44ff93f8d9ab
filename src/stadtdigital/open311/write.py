"""Open311 GeoReport v2 POST requests, API keys."""

urlpatterns = []
