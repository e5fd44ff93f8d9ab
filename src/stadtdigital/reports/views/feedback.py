"""The citizen's answer to "Ist das Problem behoben?" from the email after a report was closed as fixed.

GET only shows the question (mail scanners that open links change nothing); the answer is a POST. A link is
signed (report id + the id of the "erledigt" state change), valid for REPORT_FEEDBACK_DAYS (default 30) and
only while that change is the report's latest. Bad, expired or outdated links get a friendly page.
"""

from django import forms
from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from stadtdigital.reports.models import Report
from stadtdigital.reports.services import workflow


class FeedbackForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("Ist das Problem behoben?"),
        choices=[("ja", _("Ja, behoben")), ("nein", _("Nein, nicht behoben"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ihr Kommentar (freiwillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wird nur von der Verwaltung gelesen und nicht veröffentlicht."),
    )


def _problem(request, reason: str, report=None, status=400):
    return render(
        request, "reports/feedback_problem.html", {"reason": reason, "report": report}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request, pk, token):
    try:
        report_id, event_id = workflow.read_feedback_token(token)
    except signing.SignatureExpired:
        return _problem(request, "expired", status=410)
    except signing.BadSignature:
        return _problem(request, "invalid")
    report = Report.objects.select_related("category").filter(pk=pk).first()
    if report is None or report_id != pk:
        return _problem(request, "invalid")
    if workflow.feedback_already_given(report, event_id):
        return _problem(request, "done", report=report, status=200)
    if not workflow.feedback_is_current(report, event_id):
        return _problem(request, "outdated", report=report, status=200)
    answer = request.GET.get("antwort")
    initial = {"fixed": answer} if answer in ("ja", "nein") else {}
    form = FeedbackForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fixed = form.cleaned_data["fixed"]
        try:
            workflow.citizen_feedback(report, event_id, fixed=fixed, comment=form.cleaned_data["comment"])
        except workflow.WorkflowError:
            return _problem(request, "outdated", report=report, status=200)
        return render(request, "reports/feedback_thanks.html", {"report": report, "fixed": fixed})
    return render(
        request,
        "reports/feedback.html",
        {"report": report, "form": form},
        status=400 if form.is_bound else 200,
    )
