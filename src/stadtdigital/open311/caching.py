"""Validators of Open311's cached GET answers (core/caching.py): what each one depends on."""

from django.utils import timezone

from stadtdigital.core.caching import Version
from stadtdigital.open311 import params, selectors
from stadtdigital.reports.selectors import versions

DATE_PARAMETERS = ("start_date", "end_date", "updated_after", "updated_before", "service_request_id")


def services_version(request, fmt, **kwargs) -> Version:
    """Discovery, the service list and definitions: the categories and their questions."""
    return versions.categories()


def requests_version(request, fmt) -> Version:
    """The request list. Its query is checked first (a bad one stays a 400, never a 304). Without dates the
    list is the last 90 days, which moves on without any report changing: today's date is part of it."""
    from stadtdigital.open311.views.read import filtered_requests_of

    filtered_requests_of(request)  # raises BadRequest on a bad parameter
    undated = not any(request.GET.get(name) for name in DATE_PARAMETERS)
    return versions.public_reports(timezone.localdate().isoformat() if undated else "")


def request_version(request, fmt, service_request_id) -> Version | None:
    """Of one public request; None when there is none (the view answers 404). Read with the request's row,
    which the view then uses (views.read.request_row_of): one query for a full answer."""
    from stadtdigital.open311.views.read import request_row_of

    row = request_row_of(request, params.request_id("service_request_id", service_request_id))
    return None if row is None else selectors.request_version(row)
