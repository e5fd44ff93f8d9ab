"""`/opendata/catalog.ttl|jsonld|rdf`: the DCAT-AP.de catalogue, with ETag/Last-Modified and 304 answers."""

import hashlib

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stadtdigital.opendata import catalog as dcat_catalog
from stadtdigital.opendata.registry import all_datasets
from stadtdigital.opendata.views.caching import not_modified, with_public_caching


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
    unchanged = not_modified(request, etag, last_modified)
    if unchanged is not None:
        return unchanged

    media_type = dcat_catalog.SERIALISATIONS[serialisation].media_type
    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    return with_public_caching(response, etag, last_modified)
