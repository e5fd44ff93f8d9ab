"""Back office, the queue: /verwaltung/anliegen/ (tabs, filters, quick search "#1234", overdue days).
Reads in selectors/backoffice.py."""

from django.shortcuts import redirect, render
from django.utils import timezone

from stadtdigital.core.paging import page_of, query_without_page
from stadtdigital.core.views import staff_required
from stadtdigital.reports import permissions
from stadtdigital.reports.forms_backoffice import (
    QueueFilterForm,
)
from stadtdigital.reports.selectors import backoffice as selectors
from stadtdigital.reports.views.backoffice_case import overdue_days

PAGE_SIZE = 50


@staff_required
def queue(request):
    form = QueueFilterForm(request.GET or None, user=request.user)
    values = form.values()
    report_id = selectors.id_from_query(values["q"])
    if report_id is not None and permissions.visible_reports(request.user).filter(pk=report_id).exists():
        # Quick search "#1234" opens the report, wherever it is (also outside the current tab).
        return redirect("reports:backoffice-report", pk=report_id)
    now = timezone.now()
    reports = selectors.queue(request.user, now=now, **values)
    page = page_of(request, reports, PAGE_SIZE)
    for report in page.object_list:
        report.overdue_days = overdue_days(report, now)
    counts = selectors.tab_counts(request.user, now=now)
    tabs = [
        {"key": key, "label": label, "count": counts.get(key), "current": key == values["tab"]}
        for key, label in selectors.TABS
    ]
    return render(
        request,
        "reports/backoffice/queue.html",
        {
            "form": form,
            "page": page,
            "tabs": tabs,
            "tab": values["tab"],
            "now": now,
            "query": query_without_page(request),
            "tab_query": query_without_page(request, "ansicht"),
            "sees_all": permissions.sees_all_reports(request.user),
            "filtered": any(values[k] for k in ("state", "category", "department", "assigned", "q")),
            "more_filters": any(values[k] for k in ("state", "category", "department", "assigned"))
            or values["sort"] != selectors.DEFAULT_SORT,
        },
    )
