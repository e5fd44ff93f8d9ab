"""Routes of the Open311 GeoReport v2 API at /open311/v2/ (the back office's: backoffice_urls.py)."""

from django.urls import path, re_path

from stadtdigital.open311.views import docs, openapi, read

app_name = "open311"

FMT = r"(?P<fmt>[^/.]+)"  # json or xml; any other suffix gets the API's 404 from the view, not an HTML page

urlpatterns = [
    path("", docs.docs, name="docs"),
    path("openapi.json", openapi.openapi_json, name="openapi"),
    re_path(rf"^discovery\.{FMT}$", read.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", read.services, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+)\.{FMT}$", read.service_definition, name="service"),
    # GET lists, POST creates (read.requests hands POST to write.post_request)
    re_path(rf"^requests\.{FMT}$", read.requests, name="requests"),
    re_path(rf"^requests/(?P<service_request_id>[^/]+)\.{FMT}$", read.single_request, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+)\.{FMT}$", read.token, name="token"),
    re_path(rf"^servicerequestupdates\.{FMT}$", read.request_updates, name="request-updates"),
    # Catch-all, last on purpose: any other path under /open311/v2/ is answered with the API's JSON 404
    # (clients parse errors; Django's HTML 404 page would break them). Everything above must stay above it.
    path("<path:rest>", read.not_found, name="not-found"),
]
