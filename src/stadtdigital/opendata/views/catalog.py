"""`/opendata/catalog.ttl|jsonld|rdf`: the DCAT-AP.de catalogue, with ETag/Last-Modified and 304 answers."""

import hashlib

from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stadtdigital.opendata import catalog as dcat_catalog
from stadtdigital.opendata.registry import all_datasets


@require_safe
def catalog(request, serialisation: str):
    if serialisation not in dcat_catalog.SERIALISATIONS:
        raise Http404(_("Den Katalog gibt es als catalog.ttl, catalog.jsonld und catalog.rdf."))
    datasets = all_datasets()
    body = dcat_catalog.serialise(dcat_catalog.build_graph(datasets), serialisation)
    # The output is deterministic, so a hash of it is a strong ETag that changes exactly when the bytes do.
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    modified = dcat_catalog.last_modified(datasets)
    last_modified = int(modified.timestamp()) if modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _with_caching_headers(not_modified, etag, last_modified)

    media_type = dcat_catalog.SERIALISATIONS[serialisation].media_type
    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    return _with_caching_headers(response, etag, last_modified)


def _with_caching_headers(response: HttpResponse, etag: str, last_modified: int | None) -> HttpResponse:
    # A 304 carries them too (RFC 9110 15.4.5), so caches can refresh what they hold.
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # Harvesters poll the catalogue: caches may keep it but must revalidate (cheap thanks to the ETag).
    response["Cache-Control"] = "public, no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
