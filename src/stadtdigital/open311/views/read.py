"""Open311 GeoReport v2 read endpoints (discovery, services, requests, tokens, updates).

Plain Django views (see docs/decisions/0010-open311-views.md): each takes the format from the URL suffix
(`.json` or `.xml`, required as in the spec), checks `jurisdiction_id`, parses its parameters with
`params` (a bad value is a 400 naming the parameter), reads through `selectors` (public reports only) and
renders plain dicts with `formats`. Every client error is the spec's error list in the requested format
(JSON when the format itself is unknown); no client input leads to an HTML page or a 500.

`requests.{fmt}` is one URL for GET (here) and POST (`write.post_request`). The routes are in
open311/urls.py.
"""

import functools

from django.conf import settings
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from stadtdigital.core.caching import patch_public, public_cache
from stadtdigital.open311 import caching, formats, params, selectors, serializers
from stadtdigital.open311.errors import BadRequest, NotFound, Open311Error, error_response
from stadtdigital.open311.views import write
from stadtdigital.reports.selectors.answers import answers_by_report

DEFAULT_LIMIT = 1000  # the spec's default: at most 1000 requests
MAX_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000
DEFAULT_RADIUS_M = 1000
SAFE_METHODS = ("GET", "HEAD")


def endpoint(view=None, *, methods=SAFE_METHODS, jurisdiction_required=True):
    """Format check, method check, query checks and the spec's error format around a read view."""

    def decorate(view):
        @csrf_exempt  # read-only: any other method gets the API's 405, not the CSRF failure page
        @functools.wraps(view)
        def wrapper(request, fmt, **kwargs):
            if fmt not in formats.FORMATS:
                return error_response("json", 404, f"Unknown format {fmt[:20]!r}: use .json or .xml.")
            if request.method not in methods:
                return error_response(
                    fmt, 405, f"Method {request.method} not allowed here.", {"Allow": ", ".join(methods)}
                )
            if any("\x00" in value for value in kwargs.values()):
                return error_response(fmt, 404, "Not found: the path contains a NUL byte.")
            try:
                params.check_query(request.GET)
                params.check_jurisdiction(request.GET, required=jurisdiction_required)
                response = view(request, fmt, **kwargs)
            except Open311Error as error:
                return error_response(fmt, error.status, error.description)
            # Lists may lag PUBLIC_CACHE_MAX_AGE behind the back office.
            patch_public(response)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


# --- discovery and services ----------------------------------------------------------------------------


@endpoint(jurisdiction_required=False)
@public_cache(caching.services_version)
def discovery(request, fmt):
    base = reverse("open311:discovery", kwargs={"fmt": fmt}).rsplit("/", 1)[0]
    changeset = selectors.services_changed_at()
    return formats.render(fmt, "discovery", serializers.discovery(settings.SITE_URL + base, changeset))


@endpoint
@public_cache(caching.services_version)
def services(request, fmt):
    return formats.render(fmt, "services", serializers.services(selectors.services()))


@endpoint
@public_cache(caching.services_version)
def service_definition(request, fmt, service_code):
    found = selectors.service_definition(service_code)
    if found is None:
        raise NotFound(f"service_code not found: {service_code[:100]}")
    return formats.render(fmt, "service_definition", serializers.service_definition(*found))


# --- requests ------------------------------------------------------------------------------------------


def _render_requests(fmt, rows, extensions: bool):
    if extensions:
        ids = [row["id"] for row in rows]
        document = serializers.service_requests(
            rows,
            photos=selectors.photo_ids(ids),
            history=selectors.status_history(ids),
            answers=answers_by_report(ids, public_only=True),
        )
    else:
        document = serializers.service_requests(rows)
    return formats.render(fmt, "service_requests", document)


def filtered_requests(query):
    """(queryset, offset, limit) for GET requests; see the module docs of the spec and extensions."""
    queryset = selectors.requests_queryset()
    ids = params.id_list("service_request_id", params.text_list(query, "service_request_id"))
    if ids:  # overrides all other arguments
        return selectors.by_ids(queryset, ids), 0, len(ids)

    codes = params.code_list("service_code", params.text_list(query, "service_code"))
    if codes:
        queryset = selectors.by_service_codes(queryset, codes)
    statuses = params.status_list(params.text_list(query, "status"))
    if statuses:
        queryset = selectors.by_status(queryset, statuses)

    start = params.w3c_datetime("start_date", params.text(query, "start_date"))
    end = params.w3c_datetime("end_date", params.text(query, "end_date"))
    after = params.w3c_datetime("updated_after", params.text(query, "updated_after"))
    before = params.w3c_datetime("updated_before", params.text(query, "updated_before"))
    if after is not None and before is not None and before <= after:
        raise BadRequest("updated_before must be after updated_after.")
    bbox = params.bbox(params.text(query, "bbox"))
    lat = params.number("lat", params.text(query, "lat"), -90, 90)
    lon = params.number("long", params.text(query, "long"), -180, 180)
    radius = params.number("radius", params.text(query, "radius"), 1, params.MAX_RADIUS_M)
    if (lat is None) != (lon is None) or (radius is not None and lat is None):
        raise BadRequest("lat and long must be given together (radius in metres is optional).")

    area = bbox or (selectors.radius_box(lat, lon, radius or DEFAULT_RADIUS_M) if lat is not None else None)
    small_area = area is not None and selectors.reads_area_first(area)
    if start is not None or end is not None or (after is None and before is None):
        # Without dates the spec's default window (the last 90 days) applies; a client following changes
        # with updated_after/updated_before alone sees older requests too.
        queryset = selectors.by_requested(queryset, *params.date_window(start, end), within_area=small_area)
    if after is not None or before is not None:
        queryset = selectors.by_updated(queryset, after, before).order_by("updated_at", "id")

    if bbox is not None:
        queryset = selectors.in_bbox(queryset, bbox)
    if lat is not None:
        queryset = selectors.within_radius(queryset, lat, lon, radius or DEFAULT_RADIUS_M)
    search = params.text(query, "q")
    if search:
        queryset = selectors.by_text(queryset, search)

    page_size = params.integer("page_size", params.text(query, "page_size"), 1, MAX_PAGE_SIZE, DEFAULT_LIMIT)
    page = params.integer("page", params.text(query, "page"), 1, MAX_PAGE, 1)
    return queryset, (page - 1) * page_size, page_size


def filtered_requests_of(request):
    """filtered_requests(request.GET), built once per request: the cache validator checks the query first
    (open311.caching.requests_version), and building the filters twice cost a tenth of a small answer."""
    if not hasattr(request, "_open311_filtered"):
        request._open311_filtered = filtered_requests(request.GET)
    return request._open311_filtered


def request_row_of(request, report_id: int) -> dict | None:
    """selectors.request_row(report_id), read once per request: the cache validator reads the row's
    version with it (open311.caching.request_version), the view then answers from the same row."""
    if getattr(request, "_open311_row_id", None) != report_id:
        request._open311_row = selectors.request_row(report_id)
        request._open311_row_id = report_id
    return request._open311_row


def get_requests(request, fmt):
    queryset, offset, limit = filtered_requests_of(request)
    extensions = params.flag("extensions", params.text(request.GET, "extensions"))
    rows = selectors.request_rows(queryset[offset : offset + limit])
    return _render_requests(fmt, rows, extensions)


_get_requests = endpoint(public_cache(caching.requests_version)(get_requests))


@csrf_exempt  # no cookies: POST is authenticated by its api_key, not by a session
def requests(request, fmt):
    """GET and HEAD: the list (here); POST: a new request (write.post_request)."""
    if request.method == "POST":
        return write.post_request(request, fmt)
    if request.method not in SAFE_METHODS and fmt in formats.FORMATS:
        allow = ", ".join((*SAFE_METHODS, "POST"))
        return error_response(fmt, 405, f"Method {request.method} not allowed here.", {"Allow": allow})
    return _get_requests(request, fmt)


@endpoint
@public_cache(caching.request_version)
def single_request(request, fmt, service_request_id):
    report_id = params.request_id("service_request_id", service_request_id)
    extensions = params.flag("extensions", params.text(request.GET, "extensions"))
    row = request_row_of(request, report_id)
    if row is None:
        raise NotFound(f"service_request_id not found: {report_id}")
    return _render_requests(fmt, [row], extensions)


@endpoint
def token(request, fmt, token):
    exists, report_id = selectors.token_status(token)
    if not exists:
        raise NotFound("token not found.")
    response = formats.render(fmt, "service_requests", serializers.token(token, report_id))
    return response


@endpoint
def request_updates(request, fmt):
    """FixMyStreet's servicerequestupdates: the city's public updates between start_date and end_date."""
    query = request.GET
    start = params.w3c_datetime("start_date", params.text(query, "start_date"))
    end = params.w3c_datetime("end_date", params.text(query, "end_date"))
    start, end = params.date_window(start, end)
    page_size = params.integer("page_size", params.text(query, "page_size"), 1, MAX_PAGE_SIZE, DEFAULT_LIMIT)
    page = params.integer("page", params.text(query, "page"), 1, MAX_PAGE, 1)
    offset = (page - 1) * page_size
    rows = list(selectors.request_updates(start, end)[offset : offset + page_size])
    return formats.render(fmt, "service_request_updates", serializers.request_updates(rows))


@csrf_exempt
def not_found(request, rest):
    return error_response("json", 404, "Not found: see discovery.json for the endpoints of this API.")
