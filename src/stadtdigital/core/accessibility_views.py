"""/barrierefreiheit/ (statement, feedback form), /leichte-sprache/, and the feedback in the back office."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from stadtdigital.core import navigation, ratelimit, services
from stadtdigital.core.accessibility import statement
from stadtdigital.core.forms import AccessibilityAnswerForm, AccessibilityFeedbackForm, error_summary
from stadtdigital.core.http import client_ip
from stadtdigital.core.models import AccessibilityFeedback
from stadtdigital.core.paging import page_of
from stadtdigital.core.roles import is_digital_office
from stadtdigital.core.views import staff_required


def accessibility_statement(request):
    status = 200
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.data.get("website"):  # the spam trap: answer as if accepted, store nothing
            messages.success(request, _("Vielen Dank. Ihre Nachricht ist bei uns eingegangen."))
            return redirect("core:accessibility")
        if not ratelimit.hit(
            f"a11y-feedback:ip:{client_ip(request)}",
            settings.ACCESSIBILITY_FEEDBACK_RATE_LIMIT_PER_HOUR,
            3600,
        ):
            form.is_valid()  # first, so the field errors and this one are shown together
            form.add_error(
                None,
                _("Zu viele Nachrichten in kurzer Zeit. Bitte versuchen Sie es in einer Stunde noch einmal."),
            )
            status = 429
        elif form.is_valid():
            feedback = services.submit_accessibility_feedback(form.cleaned_data)
            messages.success(
                request,
                _("Vielen Dank. Ihre Nachricht ist bei uns eingegangen (Nr. %(id)s).") % {"id": feedback.pk},
            )
            return redirect("core:accessibility")
        else:
            status = 400
    else:
        form = AccessibilityFeedbackForm()
    return render(
        request,
        "core/accessibility/statement.html",
        {"statement": statement(), "form": form, "errors": error_summary(form)},
        status=status,
    )


def easy_language(request):
    return render(
        request,
        "core/easy_language.html",
        {
            "sign_language_video": settings.SIGN_LANGUAGE_VIDEO_URL,
            "sections": navigation.easy_language_sections(),
        },
    )


def _digital_office_only(request):
    if not is_digital_office(request.user):
        raise PermissionDenied(_("Rückmeldungen zur Barrierefreiheit bearbeitet das Digitalisierungsbüro."))


@staff_required
def feedback_list(request):
    _digital_office_only(request)
    page = page_of(request, AccessibilityFeedback.objects.all(), 50)
    return render(request, "core/accessibility/feedback_list.html", {"page": page})


@staff_required
def feedback_detail(request, pk):
    _digital_office_only(request)
    feedback = get_object_or_404(AccessibilityFeedback, pk=pk)
    status = 200
    if request.method == "POST":
        form = AccessibilityAnswerForm(request.POST)
        if form.is_valid():
            services.answer_accessibility_feedback(feedback, form.cleaned_data["answer"], request.user)
            if feedback.email:
                messages.success(request, _("Antwort gespeichert und per E-Mail gesendet."))
            else:
                messages.success(request, _("Antwort gespeichert (keine E-Mail-Adresse angegeben)."))
            return redirect("core:accessibility-feedback", pk=feedback.pk)
        status = 400
    else:
        form = AccessibilityAnswerForm(initial={"answer": feedback.answer})
    return render(
        request,
        "core/accessibility/feedback_detail.html",
        {"feedback": feedback, "form": form, "errors": error_summary(form)},
        status=status,
    )
