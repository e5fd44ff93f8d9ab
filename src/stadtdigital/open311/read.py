"""Open311 GeoReport v2 read endpoints (discovery, services, requests, tokens, updates)."""

urlpatterns = []
