"""Back office, answer templates: /verwaltung/anliegen/vorlagen/ (list, create, edit, delete). Who may
change which template is decided in permissions.py."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stadtdigital.core.actions import form_page, perform
from stadtdigital.core.views import staff_required
from stadtdigital.reports import permissions
from stadtdigital.reports.forms_backoffice import (
    AnswerTemplateForm,
)
from stadtdigital.reports.models import AnswerTemplate
from stadtdigital.reports.selectors import backoffice as selectors


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

    def page(form):
        return render(request, "reports/backoffice/template_form.html", {"form": form, "template": template})

    return form_page(
        request,
        form,
        page,
        success=lambda saved: _("Vorlage „%(title)s“ gespeichert.") % {"title": saved.title},
        then="reports:backoffice-templates",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def template_delete(request, pk):
    template = get_object_or_404(AnswerTemplate, pk=pk)
    if not permissions.can_change_template(request.user, template):
        raise PermissionDenied
    if request.method == "POST":
        return perform(
            request,
            template.delete,
            success=_("Vorlage „%(title)s“ gelöscht.") % {"title": template.title},
            then="reports:backoffice-templates",
        )
    return render(request, "reports/backoffice/template_delete.html", {"template": template})
