"""Back office, the actions of a report's page: state, answer, note, assignment, category, location,
triage release and moderation (/verwaltung/anliegen/<pk>/<action>/).

Every action is a plain POST form (works without JavaScript) answered with a redirect (PRG) and a message
(core/actions.py); a form or workflow error shows the report page again with the error (400). Permissions
in permissions.py, writes in services/.
"""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from stadtdigital.core.actions import perform
from stadtdigital.reports import permissions
from stadtdigital.reports.forms_backoffice import (
    AnswerForm,
    AssignForm,
    CategoryForm,
    DescriptionForm,
    HideReportForm,
    LocationForm,
    NoteForm,
    StateChangeForm,
)
from stadtdigital.reports.models import Photo, State
from stadtdigital.reports.services import moderation, workflow
from stadtdigital.reports.views.backoffice_case import back, case_action, report_page


def _act(request, report, service, success, **form):
    """An action of the report page with one form (`note_form=NoteForm(request.POST)`): on a form or service
    error the page again (400) with that form in place of the empty one; otherwise `success` as a message and
    back to the report."""
    [(name, bound)] = form.items()
    return perform(
        request,
        service,
        form=bound,
        invalid=lambda form: report_page(request, report, status=400, **{name: form}),
        success=success,
        then=back(report),
    )


@case_action
def report_state(request, report):
    form = StateChangeForm(request.POST, report=report, user=request.user)
    if not form.is_valid():
        return report_page(request, report, state_form=form, status=400)
    data = form.cleaned_data
    if "use_template" in request.POST or "preview" in request.POST:
        values = request.POST.copy()
        if "use_template" in request.POST and data["template"]:
            values["public_text"] = data["template"].text
        form = StateChangeForm(values, report=report, user=request.user)
        form.is_valid()
        preview = _preview(report, form.cleaned_data) if "preview" in request.POST else None
        return report_page(request, report, state_form=form, preview=preview)
    return _act(
        request,
        report,
        lambda data: workflow.change_state(
            report,
            data["state"],
            user=request.user,
            public_text=data["public_text"],
            internal_note=data["internal_note"],
            reason=data["reason"],
            forwarded_to=data["forwarded_to"],
            duplicate_of=data["duplicate_of"],
        ),
        _("Status „%(state)s“ gespeichert.") % {"state": State(data["state"]).label},
        state_form=form,
    )


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


@case_action
def report_answer(request, report):
    form = AnswerForm(request.POST, report=report, user=request.user)
    if form.is_valid() and "use_template" in request.POST:
        values = request.POST.copy()
        if form.cleaned_data["template"]:
            values["text"] = form.cleaned_data["template"].text
        return report_page(request, report, answer_form=AnswerForm(values, report=report, user=request.user))
    return _act(
        request,
        report,
        lambda data: workflow.answer(report, data["text"], request.user, template=data["template"]),
        _("Antwort veröffentlicht; die meldende Person wird benachrichtigt."),
        answer_form=form,
    )


@case_action
def report_note(request, report):
    return _act(
        request,
        report,
        lambda data: workflow.add_note(report, data["text"], request.user),
        _("Interne Notiz gespeichert."),
        note_form=NoteForm(request.POST),
    )


@case_action
def report_assign(request, report):
    if request.POST.get("assignee") == "me":
        post = request.POST.copy()
        post["assignee"] = str(request.user.pk)
    else:
        post = request.POST
    return _act(
        request,
        report,
        lambda data: workflow.assign(report, data["assignee"], request.user),
        lambda event: event.internal_note if event else None,
        assign_form=AssignForm(post, report=report),
    )


@case_action
def report_category(request, report):

    def where_next(event):
        if event is not None and not permissions.can_view_report(request.user, report):
            messages.info(request, _("Das Anliegen liegt jetzt bei einem anderen Fachbereich."))
            return "reports:backoffice-queue"
        return back(report)

    return perform(
        request,
        lambda data: workflow.change_category(
            report, data["category"], request.user, internal_note=data["internal_note"]
        ),
        form=CategoryForm(request.POST),
        invalid=lambda form: report_page(request, report, category_form=form, status=400),
        success=lambda event: (
            event.internal_note.split("\n")[0]
            if event
            else (messages.INFO, _("Die Kategorie war bereits ausgewählt."))
        ),
        then=where_next,
    )


@case_action
def report_location(request, report):
    return _act(
        request,
        report,
        lambda data: workflow.move_location(report, data["lat"], data["lon"], data["address"], request.user),
        _("Ort gespeichert."),
        location_form=LocationForm(request.POST),
    )


@case_action
def report_triage(request, report):
    return perform(
        request,
        lambda: workflow.release_from_triage(report, request.user),
        success=lambda event: _("Aus der Eingangsprüfung freigegeben.") if event else None,
        then=back(report),
    )


@case_action
def report_moderate(request, report):
    action = request.POST.get("action")
    if action == "edit_description":
        return _act(
            request,
            report,
            lambda data: moderation.edit_description(
                report, data["description"], request.user, data["reason"]
            ),
            _("Beschreibung geändert; der ursprüngliche Text ist im Verlauf gespeichert."),
            description_form=DescriptionForm(request.POST),
        )
    if action in ("hide_photo", "unhide_photo"):
        return _moderate_photo(request, report, hide=action == "hide_photo")
    if action in ("hide_report", "unhide_report"):
        hide = action == "hide_report"
        hidden = _("Anliegen verborgen; es ist nicht mehr öffentlich.")
        return _act(
            request,
            report,
            lambda data: (moderation.hide_report if hide else moderation.unhide_report)(
                report, request.user, data["reason"]
            ),
            hidden if hide else _("Anliegen ist wieder sichtbar."),
            hide_form=HideReportForm(request.POST),
        )
    raise Http404


def _moderate_photo(request, report, *, hide: bool):
    photo_id = request.POST.get("photo", "").strip()
    photo = None
    if photo_id.isascii() and photo_id.isdigit():
        photo = Photo.objects.filter(pk=int(photo_id), report=report).first()
    if photo is None:
        messages.error(request, _("Dieses Foto gehört nicht zu diesem Anliegen."))
        return report_page(request, report, status=400)
    form = HideReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return report_page(request, report, status=400)
    if hide:
        moderation.hide_photo(photo, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Foto verborgen."))
    else:
        moderation.unhide_photo(photo, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Foto wird wieder gezeigt."))
    return back(report)
