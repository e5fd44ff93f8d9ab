"""Back office for reports: /verwaltung/anliegen/ (queue, report page and its actions, answer templates,
dashboard). Views are thin: permissions in permissions.py, reads in selectors/, writes in services/.

Every action is a plain POST form (works without JavaScript) answered with a redirect (PRG) and a message.
Reports outside the user's departments answer 403 for every view and action; nothing changes.
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stadtdigital.core.files import STORAGE_ERRORS
from stadtdigital.core.views import staff_required
from stadtdigital.reports import permissions
from stadtdigital.reports.forms_backoffice import (
    AnswerForm,
    AnswerTemplateForm,
    AssignForm,
    CategoryForm,
    DashboardForm,
    DescriptionForm,
    HideReportForm,
    LocationForm,
    NoteForm,
    QueueFilterForm,
    StateChangeForm,
)
from stadtdigital.reports.models import AnswerTemplate, Photo, Report, State, Visibility
from stadtdigital.reports.selectors import assist as assist_selectors
from stadtdigital.reports.selectors import backoffice as selectors
from stadtdigital.reports.selectors import sending as sending_selectors
from stadtdigital.reports.selectors import stats
from stadtdigital.reports.selectors.answers import report_answers
from stadtdigital.reports.services import moderation, workflow
from stadtdigital.reports.services.reminders import days_overdue
from stadtdigital.reports.views import feedback

PAGE_SIZE = 50


# --- queue ------------------------------------------------------------------------------------------------


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
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("seite"))
    for report in page.object_list:
        report.overdue_days = _overdue_days(report, now)
    counts = selectors.tab_counts(request.user, now=now)
    query = request.GET.copy()
    query.pop("seite", None)
    tab_query = query.copy()
    tab_query.pop("ansicht", None)
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
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "sees_all": permissions.sees_all_reports(request.user),
            "filtered": any(values[k] for k in ("state", "category", "department", "assigned", "q")),
            "more_filters": any(values[k] for k in ("state", "category", "department", "assigned"))
            or values["sort"] != selectors.DEFAULT_SORT,
        },
    )


def _overdue_days(report, now) -> int | None:
    if report.is_open and report.due_at and report.due_at < now:
        return days_overdue(report.due_at, now)
    return None


# --- report page ------------------------------------------------------------------------------------------


def _report_for(request, pk, *, change=False) -> Report:
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


def _report_page(request, report, *, status=200, preview=None, **forms):
    can_change = permissions.can_change_report(request.user, report)
    if can_change:
        forms.setdefault("state_form", StateChangeForm(report=report, user=request.user))
        forms.setdefault("answer_form", AnswerForm(report=report, user=request.user))
        forms.setdefault("note_form", NoteForm())
        forms.setdefault(
            "assign_form", AssignForm(report=report, initial={"assignee": report.assigned_to_id})
        )
        forms.setdefault("category_form", CategoryForm(initial={"category": report.category_id}))
        forms.setdefault(
            "location_form",
            LocationForm(initial={"lat": report.lat, "lon": report.lon, "address": report.address}),
        )
        forms.setdefault("description_form", DescriptionForm(initial={"description": report.description}))
        forms.setdefault("hide_form", HideReportForm())
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
            "overdue_days": _overdue_days(report, now),
            "now": now,
            "preview": preview,
            "templates": selectors.templates_for(report, request.user) if can_change else [],
            "public_url": report.get_absolute_url(),
            "assist": assist_selectors.report_panel(report),
            **forms,
        },
        status=status,
    )


@staff_required
def report_detail(request, pk):
    return _report_page(request, _report_for(request, pk))


def _back(report):
    return redirect("reports:backoffice-report", pk=report.pk)


def _add_errors(form, error: workflow.WorkflowError):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@staff_required
@require_POST
def report_state(request, pk):
    report = _report_for(request, pk, change=True)
    form = StateChangeForm(request.POST, report=report, user=request.user)
    if not form.is_valid():
        return _report_page(request, report, state_form=form, status=400)
    data = form.cleaned_data
    if "use_template" in request.POST or "preview" in request.POST:
        values = request.POST.copy()
        if "use_template" in request.POST and data["template"]:
            values["public_text"] = data["template"].text
        form = StateChangeForm(values, report=report, user=request.user)
        form.is_valid()
        preview = _preview(report, form.cleaned_data) if "preview" in request.POST else None
        return _report_page(request, report, state_form=form, preview=preview)
    try:
        workflow.change_state(
            report,
            data["state"],
            user=request.user,
            public_text=data["public_text"],
            internal_note=data["internal_note"],
            reason=data["reason"],
            forwarded_to=data["forwarded_to"],
            duplicate_of=data["duplicate_of"],
        )
    except workflow.WorkflowError as exc:
        _add_errors(form, exc)
        return _report_page(request, report, state_form=form, status=400)
    messages.success(request, _("Status „%(state)s“ gespeichert.") % {"state": State(data["state"]).label})
    return _back(report)


def _preview(report, data) -> dict:
    """What the citizen will see: the new state and the public text, as stored by change_state."""
    state = data.get("state") or report.state
    parts = []
    if state in workflow.REASON_REQUIRED and data.get("reason"):
        parts.append(data["reason"])
    if state == State.NOT_RESPONSIBLE and data.get("forwarded_to"):
        parts.append(_("Weitergeleitet an: %(to)s.") % {"to": data["forwarded_to"]})
    if state == State.DUPLICATE and data.get("duplicate_of"):
        parts.append(_("Dieses Anliegen wurde bereits gemeldet: #%(id)s.") % {"id": data["duplicate_of"].pk})
    if data.get("public_text"):
        parts.append(data["public_text"])
    return {"state_label": State(state).label, "text": "\n\n".join(parts)}


@staff_required
@require_POST
def report_answer(request, pk):
    report = _report_for(request, pk, change=True)
    form = AnswerForm(request.POST, report=report, user=request.user)
    if form.is_valid() and "use_template" in request.POST:
        values = request.POST.copy()
        if form.cleaned_data["template"]:
            values["text"] = form.cleaned_data["template"].text
        return _report_page(request, report, answer_form=AnswerForm(values, report=report, user=request.user))
    if form.is_valid():
        try:
            workflow.answer(
                report, form.cleaned_data["text"], request.user, template=form.cleaned_data["template"]
            )
        except workflow.WorkflowError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Antwort veröffentlicht; die meldende Person wird benachrichtigt."))
            return _back(report)
    return _report_page(request, report, answer_form=form, status=400)


@staff_required
@require_POST
def report_note(request, pk):
    report = _report_for(request, pk, change=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        workflow.add_note(report, form.cleaned_data["text"], request.user)
        messages.success(request, _("Interne Notiz gespeichert."))
        return _back(report)
    return _report_page(request, report, note_form=form, status=400)


@staff_required
@require_POST
def report_assign(request, pk):
    report = _report_for(request, pk, change=True)
    if request.POST.get("assignee") == "me":
        post = request.POST.copy()
        post["assignee"] = str(request.user.pk)
    else:
        post = request.POST
    form = AssignForm(post, report=report)
    if form.is_valid():
        try:
            event = workflow.assign(report, form.cleaned_data["assignee"], request.user)
        except workflow.WorkflowError as exc:
            _add_errors(form, exc)
        else:
            if event:
                messages.success(request, event.internal_note)
            return _back(report)
    return _report_page(request, report, assign_form=form, status=400)


@staff_required
@require_POST
def report_category(request, pk):
    report = _report_for(request, pk, change=True)
    form = CategoryForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, category_form=form, status=400)
    event = workflow.change_category(
        report, form.cleaned_data["category"], request.user, internal_note=form.cleaned_data["internal_note"]
    )
    if event is None:
        messages.info(request, _("Die Kategorie war bereits ausgewählt."))
        return _back(report)
    messages.success(request, event.internal_note.split("\n")[0])
    if not permissions.can_view_report(request.user, report):
        messages.info(request, _("Das Anliegen liegt jetzt bei einem anderen Fachbereich."))
        return redirect("reports:backoffice-queue")
    return _back(report)


@staff_required
@require_POST
def report_location(request, pk):
    report = _report_for(request, pk, change=True)
    form = LocationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workflow.move_location(report, data["lat"], data["lon"], data["address"], request.user)
        except workflow.WorkflowError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Ort gespeichert."))
            return _back(report)
    return _report_page(request, report, location_form=form, status=400)


@staff_required
@require_POST
def report_triage(request, pk):
    report = _report_for(request, pk, change=True)
    if workflow.release_from_triage(report, request.user):
        messages.success(request, _("Aus der Eingangsprüfung freigegeben."))
    return _back(report)


@staff_required
@require_POST
def report_moderate(request, pk):
    report = _report_for(request, pk, change=True)
    action = request.POST.get("action")
    if action == "edit_description":
        form = DescriptionForm(request.POST)
        if not form.is_valid():
            return _report_page(request, report, description_form=form, status=400)
        moderation.edit_description(
            report, form.cleaned_data["description"], request.user, form.cleaned_data["reason"]
        )
        messages.success(
            request, _("Beschreibung geändert; der ursprüngliche Text ist im Verlauf gespeichert.")
        )
    elif action in ("hide_photo", "unhide_photo"):
        photo_id = request.POST.get("photo", "").strip()
        photo = None
        if photo_id.isascii() and photo_id.isdigit():
            photo = Photo.objects.filter(pk=int(photo_id), report=report).first()
        if photo is None:
            messages.error(request, _("Dieses Foto gehört nicht zu diesem Anliegen."))
            return _report_page(request, report, status=400)
        form = HideReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["reason"]))
            return _report_page(request, report, status=400)
        if action == "hide_photo":
            moderation.hide_photo(photo, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Foto verborgen."))
        else:
            moderation.unhide_photo(photo, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Foto wird wieder gezeigt."))
    elif action in ("hide_report", "unhide_report"):
        form = HideReportForm(request.POST)
        if not form.is_valid():
            return _report_page(request, report, hide_form=form, status=400)
        reason = form.cleaned_data["reason"]
        try:
            if action == "hide_report":
                moderation.hide_report(report, request.user, reason)
                messages.success(request, _("Anliegen verborgen; es ist nicht mehr öffentlich."))
            else:
                moderation.unhide_report(report, request.user, reason)
                messages.success(request, _("Anliegen ist wieder sichtbar."))
        except workflow.WorkflowError as exc:
            _add_errors(form, exc)
            return _report_page(request, report, hide_form=form, status=400)
    else:
        raise Http404
    return _back(report)


@staff_required
def report_photo(request, pk, photo_pk, size="image"):
    """Photos for staff, hidden ones included (the public photo views leave hidden photos out)."""
    report = _report_for(request, pk)
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


# --- answer templates -------------------------------------------------------------------------------------


@staff_required
def template_list(request):
    templates = list(selectors.answer_templates(request.user))
    for template in templates:
        template.can_change = permissions.can_change_template(request.user, template)
    return render(
        request,
        "reports/backoffice/template_list.html",
        {"templates": templates, "can_create": permissions.can_create_templates(request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk=None):
    template = None
    if pk is not None:
        template = get_object_or_404(permissions.visible_templates(request.user), pk=pk)
        if not permissions.can_change_template(request.user, template):
            raise PermissionDenied
    elif not permissions.can_create_templates(request.user):
        raise PermissionDenied
    form = AnswerTemplateForm(request.POST or None, instance=template, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Vorlage „%(title)s“ gespeichert.") % {"title": saved.title})
        return redirect("reports:backoffice-templates")
    return render(request, "reports/backoffice/template_form.html", {"form": form, "template": template})


@staff_required
@require_http_methods(["GET", "POST"])
def template_delete(request, pk):
    template = get_object_or_404(AnswerTemplate, pk=pk)
    if not permissions.can_change_template(request.user, template):
        raise PermissionDenied
    if request.method == "POST":
        template.delete()
        messages.success(request, _("Vorlage „%(title)s“ gelöscht.") % {"title": template.title})
        return redirect("reports:backoffice-templates")
    return render(request, "reports/backoffice/template_delete.html", {"template": template})


# --- dashboard --------------------------------------------------------------------------------------------


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


urlpatterns = [
    path("verwaltung/anliegen/", queue, name="backoffice-queue"),
    path("verwaltung/anliegen/<int:pk>/", report_detail, name="backoffice-report"),
    path("verwaltung/anliegen/<int:pk>/status/", report_state, name="backoffice-state"),
    path("verwaltung/anliegen/<int:pk>/antwort/", report_answer, name="backoffice-answer"),
    path("verwaltung/anliegen/<int:pk>/notiz/", report_note, name="backoffice-note"),
    path("verwaltung/anliegen/<int:pk>/zuweisung/", report_assign, name="backoffice-assign"),
    path("verwaltung/anliegen/<int:pk>/kategorie/", report_category, name="backoffice-category"),
    path("verwaltung/anliegen/<int:pk>/ort/", report_location, name="backoffice-location"),
    path("verwaltung/anliegen/<int:pk>/eingangspruefung/", report_triage, name="backoffice-triage"),
    path("verwaltung/anliegen/<int:pk>/moderation/", report_moderate, name="backoffice-moderate"),
    path("verwaltung/anliegen/<int:pk>/fotos/<int:photo_pk>/", report_photo, name="backoffice-photo"),
    path(
        "verwaltung/anliegen/<int:pk>/fotos/<int:photo_pk>/vorschau/",
        report_photo,
        {"size": "thumbnail"},
        name="backoffice-photo-thumbnail",
    ),
    path("verwaltung/anliegen/vorlagen/", template_list, name="backoffice-templates"),
    path("verwaltung/anliegen/vorlagen/neu/", template_edit, name="backoffice-template-create"),
    path("verwaltung/anliegen/vorlagen/<int:pk>/", template_edit, name="backoffice-template-edit"),
    path(
        "verwaltung/anliegen/vorlagen/<int:pk>/loeschen/", template_delete, name="backoffice-template-delete"
    ),
    path("verwaltung/anliegen/dashboard/", dashboard, name="backoffice-dashboard"),
    *feedback.urlpatterns,
]

__all__ = ["Visibility", "urlpatterns"]
