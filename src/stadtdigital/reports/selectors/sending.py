"""Read side of sending: the queue "Versand fehlgeschlagen", a report's send history, the targets."""

from django.db.models import OuterRef, Subquery

from stadtdigital.reports import permissions
from stadtdigital.reports.models import CategorySending, Dispatch, DispatchState, SendTarget


def failed_dispatches(user):
    """Failed sendings of reports the user may change, newest failure first. A report counts once: only
    its newest dispatch (an older failure that a later routing replaced is not listed)."""
    reports = permissions.changeable_reports(user)
    newest = (
        Dispatch.objects.filter(report=OuterRef("report")).order_by("-created_at", "-id").values("pk")[:1]
    )
    return (
        Dispatch.objects.filter(state=DispatchState.FAILED, report__in=reports, pk=Subquery(newest))
        .select_related("report__category", "report__department", "target")
        .order_by("-updated_at", "-id")
    )


def report_dispatches(report) -> list[Dispatch]:
    return list(report.dispatches.select_related("target").order_by("-created_at", "-id")[:20])


def targets_with_categories():
    targets = list(SendTarget.objects.select_related("department").prefetch_related("areas"))
    by_target: dict[int, list] = {}
    for setting in CategorySending.objects.select_related("category"):
        by_target.setdefault(setting.target_id, []).append(setting.category)
    for target in targets:
        target.category_list = by_target.get(target.pk, [])
    return targets
