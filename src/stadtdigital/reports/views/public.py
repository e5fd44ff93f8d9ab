"""Public report pages: /anliegen/ (list + map), the map's data, the Atom feed, a report's page, its photos.

Only public reports (visibility PUBLIC) exist here; hidden and unconfirmed ones answer 404. The templates get
only public fields (see selectors.public); the reporter's name only through `public_reporter_name`.
"""

import mimetypes
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from stadtdigital.core.caching import public_cache
from stadtdigital.core.files import STORAGE_ERRORS, public_file_url
from stadtdigital.core.paging import PAGE_PARAMETER, CappedPaginator, query_without_page
from stadtdigital.reports.feeds import ReportFeed
from stadtdigital.reports.filters import ReportFilter
from stadtdigital.reports.maps import map_config
from stadtdigital.reports.selectors import clusters, versions
from stadtdigital.reports.selectors import public as selectors
from stadtdigital.reports.selectors.answers import report_answers

PAGE_SIZE = 25
# A text search counts at most this many hits (decision 0025): "mehr als 1000 Anliegen", 40 pages.
SEARCH_COUNT_CAP = 1000
PHOTO_MAX_AGE = 24 * 60 * 60  # a day: file names never change, but a photo hidden by moderation must vanish


def _public_reports_version(request, *args, **kwargs):
    return versions.public_reports()


def _optional_url(name: str, **kwargs) -> str:
    """The URL of a view another part of the app provides, or "" while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@require_safe
def report_list(request):
    report_filter = ReportFilter(request.GET, queryset=selectors.public_reports())
    reports = selectors.with_thumbnails(report_filter.qs)
    if report_filter.searches():
        paginator = CappedPaginator(reports, PAGE_SIZE, SEARCH_COUNT_CAP)
    else:
        paginator = Paginator(reports, PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    page.object_list = list(page.object_list)
    for report in page.object_list:
        report.state_tone = selectors.STATE_TONES.get(report.state, "other")
    filter_query = urlencode(report_filter.clean_query())
    return render(
        request,
        "reports/list.html",
        {
            "filter": report_filter,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": query_without_page(request),
            "filter_query": filter_query,
            "feed_url": reverse("reports:feed") + (f"?{filter_query}" if filter_query else ""),
            "map": map_config(),
            "new_report_url": _optional_url("reports:new"),
        },
    )


def _bad_request(message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=400)


@require_safe
@public_cache(_public_reports_version)
def map_data(request):
    """GeoJSON of clusters and single reports in a bbox; same filters as the list; never personal data."""
    try:
        bbox = clusters.parse_bbox(request.GET.get("bbox"))
        zoom = clusters.parse_zoom(request.GET.get("zoom"))
    except clusters.MapQueryError as error:
        return _bad_request(str(error))
    report_filter = ReportFilter(request.GET, queryset=selectors.public_reports())
    if not report_filter.form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in report_filter.form.errors.items()}
        return _bad_request("ungültiger Filter", fields=errors)
    try:
        data = clusters.map_features(report_filter.filter_for_map(), bbox, zoom)
    except clusters.MapQueryError as error:
        return _bad_request(str(error))
    return JsonResponse(data)


@require_safe
def report_detail(request, pk):
    report = selectors.public_report(pk)
    history = selectors.public_history(report)
    photos = list(selectors.public_photos_queryset().filter(report=report))
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "state_explanation": selectors.STATE_EXPLANATIONS.get(report.state, ""),
            "state_tone": selectors.STATE_TONES.get(report.state, "other"),
            "history": history,
            "answers": selectors.public_answers(history),
            "question_answers": report_answers(report, public_only=True),
            "photos": photos,
            "reporter_name": selectors.public_reporter_name(report),
            "original": selectors.original_of(report),
            "support_url": _optional_url("reports:support", pk=report.pk),
            "subscribe_url": _optional_url("reports:subscribe", pk=report.pk),
            "map": map_config(),
        },
    )


def _serve(file_field):
    if not file_field or not file_field.name:
        raise Http404
    content_type = mimetypes.guess_type(file_field.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    bucket_url = public_file_url(file_field.name)  # MEDIA_PUBLIC_URLS "signed"/"public" (decision 0018)
    if bucket_url:
        return HttpResponseRedirect(bucket_url)
    try:
        handle = default_storage.open(file_field.name, "rb")
    except STORAGE_ERRORS:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    patch_cache_control(response, public=True, max_age=PHOTO_MAX_AGE)
    return response


@require_safe
def photo(request, pk, photo_pk):
    """The processed photo (<= 2048 px, no metadata). Never the raw upload."""
    return _serve(selectors.public_photo(pk, photo_pk).image)


@require_safe
def photo_thumbnail(request, pk, photo_pk):
    return _serve(selectors.public_photo(pk, photo_pk).thumbnail)


@require_safe
@public_cache(lambda request: versions.basemap())
def basemap(request):
    """The offline background map (settings.MAP_FALLBACK_GEOJSON), for cities without a tile server."""
    if not settings.MAP_FALLBACK_GEOJSON:
        raise Http404
    try:
        handle = open(settings.MAP_FALLBACK_GEOJSON, "rb")  # noqa: SIM115 - FileResponse closes it
    except OSError:
        raise Http404 from None
    return FileResponse(handle, content_type="application/geo+json")


report_feed = public_cache(_public_reports_version)(ReportFeed())
