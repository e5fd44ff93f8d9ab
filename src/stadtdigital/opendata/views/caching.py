"""Validators and cache headers of everything /opendata/ serves (downloads and the catalogue)."""

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from stadtdigital.core.caching import patch_public


def not_modified(request, etag: str, last_modified: int | None) -> HttpResponseBase | None:
    """A 304 (or 412) when the client's copy is current, with the headers a 200 would carry; else None."""
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    return None if response is None else with_public_caching(response, etag, last_modified)


def with_public_caching(response: HttpResponseBase, etag: str, last_modified: int | None) -> HttpResponseBase:
    # A 304 carries them too (RFC 9110 15.4.5; Django's own has none), so caches can refresh what they hold.
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # Public data, polled by harvesters and cron jobs: caches may serve it for PUBLIC_CACHE_MAX_AGE, then
    # revalidate (cheap with the ETag).
    patch_public(response)
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
