"""Back office pages of the assistance: the personal-data moderation queue and decision, and the figures
of the current suggestion model (the same as `stadtdigital reports evaluate-assist`)."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from stadtdigital.core.actions import perform
from stadtdigital.core.paging import page_of
from stadtdigital.core.views import staff_required
from stadtdigital.reports import permissions
from stadtdigital.reports.models import PersonalDataReview
from stadtdigital.reports.selectors import assist as selectors
from stadtdigital.reports.services import personal_data
from stadtdigital.reports.views.backoffice_case import back, case_action


@staff_required
def personal_data_queue(request):
    """Reports whose text held personal data and that wait for a moderator, oldest first, with why."""
    reports = (
        permissions.visible_reports(request.user)
        .filter(personal_data_finding__review=PersonalDataReview.PENDING)
        .select_related("category", "personal_data_finding")
        .order_by("created_at", "pk")
    )
    page = page_of(request, reports, 50)
    for report in page.object_list:
        report.finding_kinds = personal_data.kind_labels(report.personal_data_finding.kinds)
    return render(request, "reports/backoffice/personal_data_queue.html", {"page": page})


@case_action
def personal_data_decision(request, report):
    to_report = back(report)
    decisions = {
        "mask": (
            personal_data.keep_masked,
            _("Persönliche Daten bleiben maskiert; der Originaltext ist gelöscht."),
        ),
        "release": (personal_data.release, _("Text wie geschrieben freigegeben.")),
    }
    if request.POST.get("decision") not in decisions:
        messages.error(request, _("Bitte wählen Sie „Maskiert lassen“ oder „Freigeben“."))
        return to_report
    service, success = decisions[request.POST["decision"]]
    return perform(request, lambda: service(report, request.user), success=success, then=to_report)


@staff_required
def assist_figures(request):
    return render(
        request, "reports/backoffice/assist_figures.html", {"figures": selectors.current_model_figures()}
    )
