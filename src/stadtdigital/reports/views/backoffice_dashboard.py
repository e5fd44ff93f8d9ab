"""Back office, the department dashboard: /verwaltung/anliegen/dashboard/ (open, overdue, time to
resolution per department; figures in selectors/stats.py)."""

from django.shortcuts import render

from stadtdigital.core.views import staff_required
from stadtdigital.reports import permissions
from stadtdigital.reports.forms_backoffice import (
    DashboardForm,
)
from stadtdigital.reports.selectors import stats


@staff_required
def dashboard(request):
    user = request.user
    sees_all = permissions.sees_all_reports(user)
    departments = permissions.visible_departments(user)
    form = DashboardForm(request.GET or None, departments=departments, allow_all=sees_all)
    chosen = form.cleaned_data.get("fachbereich") if form.is_valid() else None
    if chosen is not None:
        selected = [chosen]
    elif sees_all:
        selected = departments
    else:
        selected = list(departments)
    figures = stats.dashboard(selected)
    return render(
        request,
        "reports/backoffice/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "chosen": chosen,
            "has_departments": sees_all or bool(selected),
            "sees_all": sees_all,
        },
    )
