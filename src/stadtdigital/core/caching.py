"""Cache headers and conditional GET for public responses that are the same for every visitor.

A view decorated with `public_cache(version)` carries `Cache-Control: public, max-age=PUBLIC_CACHE_MAX_AGE`,
an `ETag` and (when known) `Last-Modified`, so the city's reverse proxy or a CDN can serve it. Both come from
`version(request, *args, **kwargs)`: a cheap reading of when the data behind the response last changed
(e.g. the latest `updated_at`), asked *before* the view runs, so a client or proxy that holds the current
copy gets a 304 without the response being built. Pages with per-visitor content (a CSRF token, a signed-in
user's name) must not use it.
"""

import datetime
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

import stadtdigital

SAFE_METHODS = ("GET", "HEAD")


class Version(NamedTuple):
    """What a response depends on: `changed_at` becomes Last-Modified, both together the ETag."""

    changed_at: datetime.datetime | None
    key: str = ""


def max_age() -> int:
    return settings.PUBLIC_CACHE_MAX_AGE


def etag_for(request, version: Version) -> str:
    """A strong ETag of the response to this URL at this version of its data.

    The software version is part of it (an upgrade may change the bytes) and so is the language (a few
    responses carry translated words; they also say `Vary: Accept-Language`).
    """
    changed = version.changed_at.isoformat() if version.changed_at else "-"
    material = "|".join(
        (stadtdigital.__version__, get_language() or "", request.get_full_path(), changed, version.key)
    )
    return '"' + hashlib.sha256(material.encode()).hexdigest()[:32] + '"'


def mark_public(response, etag: str | None = None, changed_at: datetime.datetime | None = None):
    """Public caching headers; the validators go on a 304 too (RFC 9110 15.4.5), so caches can refresh."""
    if etag:
        response["ETag"] = etag
    if changed_at is not None:
        response["Last-Modified"] = http_date(changed_at.timestamp())
    return patch_public(response)


def patch_public(response):
    """`Cache-Control: public, max-age=PUBLIC_CACHE_MAX_AGE, s-maxage=<one second less>`.

    Shared caches such as nginx count whole seconds and may serve an entry up to a second past its age:
    telling them one second less keeps what a citizen sees within PUBLIC_CACHE_MAX_AGE of a change.
    """
    seconds = max_age()
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=max(seconds - 1, 0))
    return response


def public_cache(version: Callable[..., Version | None]):
    """Decorator: conditional GET and public cache headers for a view whose answer is the same for everyone.

    `version` returns None when it cannot tell (e.g. the object does not exist): the view then answers as
    it would without the decorator. Only 200 answers are marked public; errors keep their own headers.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in SAFE_METHODS:
                return view(request, *args, **kwargs)
            current = version(request, *args, **kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            etag = etag_for(request, current)
            last_modified = int(current.changed_at.timestamp()) if current.changed_at else None
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
            return mark_public(response, etag, current.changed_at)

        return wrapper

    return decorate
