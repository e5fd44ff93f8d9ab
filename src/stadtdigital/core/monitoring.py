"""`/metrics` and `/healthz?deep=1`: only for the city's monitoring.

Reachable from the addresses in METRICS_ALLOWED_ADDRESSES (CIDRs; the client address as core/http.py reads
it, so BEHIND_PROXY applies) or with `Authorization: Bearer <METRICS_TOKEN>`; everyone else gets a 404, as if
there were nothing.
"""

import datetime
import hmac
import ipaddress
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from stadtdigital.core import metrics, queue
from stadtdigital.core.http import client_ip

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def allowed_networks() -> list:
    return [ipaddress.ip_network(cidr, strict=False) for cidr in settings.METRICS_ALLOWED_ADDRESSES]


def is_monitoring(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip().encode(), token.encode()):
            return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in allowed_networks())


@never_cache
def metrics_view(request):
    if not is_monitoring(request):
        raise Http404
    return HttpResponse(metrics.render(), content_type=PROMETHEUS_CONTENT_TYPE)


def check_storage() -> str:
    """Writes, reads and deletes a small object through the default storage (local disk or S3)."""
    payload = uuid.uuid4().hex.encode()
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != payload:
                raise OSError("read back different bytes")
    finally:
        default_storage.delete(name)
    return "ok"


def check_worker(now: datetime.datetime) -> str:
    seen = queue.latest_heartbeat()
    if seen is None:
        raise RuntimeError("no worker has ever run")
    silent = (now - seen).total_seconds()
    if silent > settings.TASK_WORKER_TIMEOUT_SECONDS:
        raise RuntimeError(f"last heartbeat {silent:.0f} s ago")
    return f"last heartbeat {silent:.0f} s ago"


def check_queue(now: datetime.datetime) -> str:
    lag = queue.oldest_due_age_seconds(now)
    if lag > settings.HEALTHZ_MAX_QUEUE_LAG_SECONDS:
        raise RuntimeError(f"oldest queued task waits {lag:.0f} s")
    return f"oldest queued task waits {lag:.0f} s"


def deep_health(request, database_check) -> JsonResponse:
    """Every check with its result; 503 when one fails."""
    if not is_monitoring(request):
        raise Http404
    now = timezone.now()
    checks = {
        "database": database_check,
        "storage": check_storage,
        "worker": lambda: check_worker(now),
        "queue": lambda: check_queue(now),
    }
    results, healthy = {}, True
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            detail = check()
            results[name] = {"status": "ok", "detail": detail}
        except Exception as exc:  # noqa: BLE001 - any failure of a check is its result
            healthy = False
            results[name] = {"status": "error", "detail": f"{exc.__class__.__name__}: {exc}"[:300]}
        results[name]["seconds"] = round(time.perf_counter() - started, 4)
    body = {"status": "ok" if healthy else "error", "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)
