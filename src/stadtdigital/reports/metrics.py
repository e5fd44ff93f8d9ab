"""The reports app's figures for /metrics (core/metrics.py), read from the database at scrape time."""

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from stadtdigital.reports.models import Dispatch, DispatchState, Photo, PhotoStatus, Report, State


def collect():
    by_state = GaugeMetricFamily(
        "stadtdigital_reports", "Reports by state (all visibilities).", labels=["state"]
    )
    counts = dict(Report.objects.order_by().values_list("state").annotate(n=Count("id")))
    for state in State.values:
        by_state.add_metric([state], counts.get(state, 0))
    yield by_state

    dispatches = dict(Dispatch.objects.order_by().values_list("state").annotate(n=Count("id")))
    yield GaugeMetricFamily(
        "stadtdigital_report_sendings_failed",
        "Sendings of reports to the responsible body that gave up (shown in the back office).",
        value=dispatches.get(DispatchState.FAILED, 0),
    )
    yield GaugeMetricFamily(
        "stadtdigital_report_sendings_pending",
        "Sendings of reports waiting to be sent.",
        value=dispatches.get(DispatchState.PENDING, 0),
    )
    yield GaugeMetricFamily(
        "stadtdigital_photos_pending",
        "Uploaded photos waiting to be processed by a worker.",
        value=Photo.objects.filter(status=PhotoStatus.PENDING).count(),
    )
