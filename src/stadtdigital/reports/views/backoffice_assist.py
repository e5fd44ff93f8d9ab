"""Back office pages of the assistance: the personal-data moderation queue and decision, and the figures
of the current suggestion model (the same as `stadtdigital reports evaluate-assist`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stadtdigital.core.actions import perform
from stadtdigital.core.views import staff_required
from stadtdigital.reports import permissions
from stadtdigital.reports.models import PersonalDataReview
from stadtdigital.reports.selectors import assist as selectors
from stadtdigital.reports.services import personal_data
from stadtdigital.reports.views.backoffice import _report_for


@staff_required
def personal_data_queue(request):
    """Reports whose text held personal data and that wait for a moderator, oldest first, with why."""
    reports = (
        permissions.visible_reports(request.user)
        .filter(personal_data_finding__review=PersonalDataReview.PENDING)
        .select_related("category", "personal_data_finding")
        .order_by("created_at", "pk")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("seite"))
    for report in page.object_list:
        report.finding_kinds = personal_data.kind_labels(report.personal_data_finding.kinds)
    return render(request, "reports/backoffice/personal_data_queue.html", {"page": page})


@staff_required
@require_POST
def personal_data_decision(request, pk):
    report = _report_for(request, pk, change=True)
    back = redirect("reports:backoffice-report", pk=report.pk)
    decisions = {
        "mask": (
            personal_data.keep_masked,
            _("Persönliche Daten bleiben maskiert; der Originaltext ist gelöscht."),
        ),
        "release": (personal_data.release, _("Text wie geschrieben freigegeben.")),
    }
    if request.POST.get("decision") not in decisions:
        messages.error(request, _("Bitte wählen Sie „Maskiert lassen“ oder „Freigeben“."))
        return back
    service, success = decisions[request.POST["decision"]]
    return perform(request, lambda: service(report, request.user), success=success, then=back)


@staff_required
def assist_figures(request):
    return render(
        request, "reports/backoffice/assist_figures.html", {"figures": selectors.current_model_figures()}
    )


urlpatterns = [
    path(
        "verwaltung/anliegen/persoenliche-daten/", personal_data_queue, name="backoffice-personal-data-queue"
    ),
    path(
        "verwaltung/anliegen/<int:pk>/persoenliche-daten/",
        personal_data_decision,
        name="backoffice-personal-data",
    ),
    path("verwaltung/anliegen/vorschlaege/", assist_figures, name="backoffice-assist"),
]
