"""Prometheus metrics (/metrics): request latency by view, measured per process, and figures read from the
database at scrape time (task queue, reports, sendings, photos), provided by the apps.

Latency is a prometheus-client Histogram. Under gunicorn with several worker processes each process counts
its own requests; with `PROMETHEUS_MULTIPROC_DIR` set (an empty directory, cleared at every start) the
client library writes them to files there and a scrape adds up all processes. Figures that live in the
database are not counted in processes at all: a collector asks the database when Prometheus scrapes, so
every app server reports the same, current numbers (docs/decisions/0020-metrics.md).

Apps add database figures with an AppConfig attribute `metric_providers` (dotted paths of callables that
return prometheus_client metric families), as with the other registries in core (decision 0009).
"""

import logging
import os
import time

from django.apps import apps
from django.utils.module_loading import import_string
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from stadtdigital.core import queue

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "stadtdigital_request_duration_seconds",
    "Time from request to response, by view (the URL pattern's name), method and status class.",
    ["view", "method", "status"],
    registry=None,  # registered on each scrape's registry (render), not on the library's global one
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def view_label(request) -> str:
    """The URL pattern's name ("open311:requests"), never the path: one series per view, whatever the ids."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    return match.view_name  # the dotted path of the view when the pattern has no name


class RequestLatencyMiddleware:
    """Observes every request's duration. Put it first in MIDDLEWARE, so it sees the whole chain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in KNOWN_METHODS else "other"
        REQUEST_LATENCY.labels(view_label(request), method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


class DatabaseCollector:
    """Figures read from the database when Prometheus scrapes: the task queue, and what the apps provide."""

    def collect(self):
        yield GaugeMetricFamily(
            "stadtdigital_tasks_queued", "Background tasks a worker may take now.", value=queue.depth()
        )
        yield GaugeMetricFamily(
            "stadtdigital_task_oldest_queued_age_seconds",
            "How long the oldest queued task has waited for a worker (0 when none).",
            value=queue.oldest_due_age_seconds(),
        )
        yield GaugeMetricFamily(
            "stadtdigital_tasks_running",
            "Background tasks being run by a worker.",
            value=queue.running_count(),
        )
        yield GaugeMetricFamily(
            "stadtdigital_tasks_failed",
            "Background tasks given up (kept in the task table).",
            value=queue.failed_count(),
        )
        heartbeat = queue.latest_heartbeat()
        if heartbeat is not None:
            yield GaugeMetricFamily(
                "stadtdigital_worker_last_heartbeat_timestamp_seconds",
                "When a worker last said it was alive (Unix time).",
                value=heartbeat.timestamp(),
            )
        for provider in providers():
            try:
                yield from provider()
            except Exception:  # noqa: BLE001 - one app's figures failing must not hide the others
                logger.exception("Metric provider %s failed", provider)


def providers() -> list:
    found = []
    for config in apps.get_app_configs():
        for path in getattr(config, "metric_providers", ()):
            found.append(import_string(path))
    return found


def render() -> bytes:
    """The exposition text of one scrape."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
