"""`/opendata/<dataset>.<format>`: every distribution, streamed, with ETag/Last-Modified and 304 answers."""

import dataclasses
import functools

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stadtdigital.opendata import services
from stadtdigital.opendata.period import PeriodError, parse_period
from stadtdigital.opendata.registry import get_dataset, version_tag
from stadtdigital.opendata.views.caching import not_modified, with_public_caching


@require_safe
def download(request, name: str, fmt: str):
    dataset = get_dataset(name)
    distribution = dataset.distribution(fmt) if dataset else None
    if distribution is None:
        raise Http404(_("Diesen Datensatz gibt es nicht in diesem Format."))
    try:
        period = parse_period(request.GET.get("start_date"), request.GET.get("end_date"))
    except PeriodError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if period and not dataset.supports_period:
        return HttpResponse(
            _("Dieser Datensatz lässt sich nicht nach Zeitraum filtern; start_date und end_date weglassen."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )

    # Asked once each: the ETag, Last-Modified and the recorded size all need them.
    dataset = dataclasses.replace(
        dataset, modified=functools.cache(dataset.modified), row_count=functools.cache(dataset.row_count)
    )
    version = version_tag(dataset, distribution, period)
    modified = dataset.modified()
    last_modified = int(modified.timestamp()) if modified else None
    etag = f'"{version}"'
    unchanged = not_modified(request, etag, last_modified)
    if unchanged is not None:
        return unchanged

    content_type = distribution.format.media_type
    if content_type.startswith("text/") or content_type.endswith("json"):
        content_type += "; charset=utf-8"
    if request.method == "HEAD":
        # Streaming (without content): a plain empty response would be given `Content-Length: 0`.
        response = StreamingHttpResponse((), content_type=content_type)
    elif period:
        response = StreamingHttpResponse(distribution.stream(period, None), content_type=content_type)
    else:
        rows = dataset.row_count(period)
        response = StreamingHttpResponse(
            _measured(
                distribution.stream(period, None),
                lambda size: services.record_byte_size(dataset, distribution, version, size, rows),
            ),
            content_type=content_type,
        )
    if distribution.byte_size is not None and not period:  # a stored file: its size is known
        response["Content-Length"] = str(distribution.byte_size())
    filename = f"{dataset.name}{'_' + period.slug() if period else ''}.{distribution.key}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return with_public_caching(response, etag, last_modified)


def _measured(chunks, on_complete):
    """Passes the chunks through and reports the total size once the last one has been sent."""
    size = 0
    for chunk in chunks:
        size += len(chunk)
        yield chunk
    on_complete(size)
