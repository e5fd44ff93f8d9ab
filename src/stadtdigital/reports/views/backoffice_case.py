"""Back office, one report's page: /verwaltung/anliegen/<pk>/ (the case with its history, a form for every
action, dispatches, assistance) and its photos, hidden ones included. The actions the page posts to are in
backoffice_actions.py. Reports outside the user's departments answer 403; nothing changes.
"""

import functools
import mimetypes

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from stadtdigital.core.files import STORAGE_ERRORS
from stadtdigital.core.views import staff_required
from stadtdigital.reports import forms_backoffice as case_forms
from stadtdigital.reports import permissions
from stadtdigital.reports.models import Photo, Report
from stadtdigital.reports.selectors import assist as assist_selectors
from stadtdigital.reports.selectors import backoffice as selectors
from stadtdigital.reports.selectors import sending as sending_selectors
from stadtdigital.reports.selectors.answers import report_answers
from stadtdigital.reports.services.reminders import days_overdue


def overdue_days(report, now) -> int | None:
    if report.is_open and report.due_at and report.due_at < now:
        return days_overdue(report.due_at, now)
    return None


def report_for(request, pk, *, change=False) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("category", "department", "assigned_to", "duplicate_of"), pk=pk
    )
    allowed = (
        permissions.can_change_report(request.user, report)
        if change
        else permissions.can_view_report(request.user, report)
    )
    if not allowed:
        raise PermissionDenied
    return report


def report_page(request, report, *, status=200, preview=None, **forms):
    can_change = permissions.can_change_report(request.user, report)
    if can_change:
        forms.setdefault("state_form", case_forms.StateChangeForm(report=report, user=request.user))
        forms.setdefault("answer_form", case_forms.AnswerForm(report=report, user=request.user))
        forms.setdefault("note_form", case_forms.NoteForm())
        forms.setdefault(
            "assign_form", case_forms.AssignForm(report=report, initial={"assignee": report.assigned_to_id})
        )
        forms.setdefault("category_form", case_forms.CategoryForm(initial={"category": report.category_id}))
        place = {"lat": report.lat, "lon": report.lon, "address": report.address}
        forms.setdefault("location_form", case_forms.LocationForm(initial=place))
        description = {"description": report.description}
        forms.setdefault("description_form", case_forms.DescriptionForm(initial=description))
        forms.setdefault("hide_form", case_forms.HideReportForm())
    now = timezone.now()
    return render(
        request,
        "reports/backoffice/report.html",
        {
            "report": report,
            "dispatches": sending_selectors.report_dispatches(report),
            "can_change": can_change,
            "can_see_personal_data": permissions.can_see_personal_data(request.user, report),
            "history": selectors.history(report),
            "question_answers": report_answers(report, public_only=False),
            "photos": report.photos.all(),
            "duplicates": report.duplicates.only("pk", "state"),
            "overdue_days": overdue_days(report, now),
            "now": now,
            "preview": preview,
            "templates": selectors.templates_for(report, request.user) if can_change else [],
            "public_url": report.get_absolute_url(),
            "assist": assist_selectors.report_panel(report),
            **forms,
        },
        status=status,
    )


def case_action(view):
    """A POST action on one report the user may change (403 otherwise): the view gets the report."""

    @staff_required
    @require_POST
    @functools.wraps(view)
    def action(request, pk):
        return view(request, report_for(request, pk, change=True))

    return action


@staff_required
def report_detail(request, pk):
    return report_page(request, report_for(request, pk))


def back(report):
    return redirect("reports:backoffice-report", pk=report.pk)


@staff_required
def report_photo(request, pk, photo_pk, size="image"):
    """Photos for staff, hidden ones included (the public photo views leave hidden photos out)."""
    report = report_for(request, pk)
    photo = get_object_or_404(Photo, pk=photo_pk, report=report)
    file_field = photo.thumbnail if size == "thumbnail" else photo.image
    if not file_field or not file_field.name:
        raise Http404
    try:
        handle = default_storage.open(file_field.name, "rb")
    except STORAGE_ERRORS:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(file_field.name)[0] or "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
