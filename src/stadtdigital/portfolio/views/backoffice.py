"""Back office for the portfolio: /verwaltung/projekte/ (list, create, edit, status changes) and
/verwaltung/handlungsfelder/. Views are thin: permissions in permissions.py, writes in services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stadtdigital.core.actions import form_page, perform
from stadtdigital.core.forms import error_summary
from stadtdigital.core.paging import page_of, query_without_page
from stadtdigital.core.views import staff_required
from stadtdigital.portfolio import permissions, selectors, services
from stadtdigital.portfolio.filters import ProjectFilter
from stadtdigital.portfolio.forms import FieldOfActionForm, ProjectForm, StatusChangeForm, project_formsets
from stadtdigital.portfolio.models import FieldOfAction, Project

PAGE_SIZE = 50


@staff_required
def project_list(request):
    only_mine = request.GET.get("bearbeitbar") == "1"
    base = permissions.editable_projects(request.user) if only_mine else Project.objects.all()
    project_filter = ProjectFilter(
        request.GET or None, queryset=base.select_related("field_of_action", "department")
    )
    page = page_of(request, project_filter.qs, PAGE_SIZE)
    editable_ids = set(
        permissions.editable_projects(request.user)
        .filter(pk__in=[p.pk for p in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "portfolio/backoffice/project_list.html",
        {
            "filter": project_filter,
            "page": page,
            "only_mine": only_mine,
            "editable_ids": editable_ids,
            "can_create": permissions.can_create_projects(request.user),
            "can_manage_fields": permissions.can_manage_fields_of_action(request.user),
            "query": query_without_page(request),
        },
    )


@staff_required
def project_detail(request, slug):
    project = get_object_or_404(Project.objects.select_related("field_of_action", "department"), slug=slug)
    can_edit = permissions.can_edit_project(request.user, project)
    return render(
        request,
        "portfolio/backoffice/project_detail.html",
        {
            "project": project,
            "history": selectors.project_history(project),
            "can_edit": can_edit,
            "status_form": StatusChangeForm(initial={"status": project.status}) if can_edit else None,
        },
    )


def _project_form_page(request, project):
    """Create (project=None) or edit: one form, three inline formsets, one transaction."""
    # The form works on its own copy, so a rejected edit does not leak into the page's heading.
    instance = Project.objects.get(pk=project.pk) if project else Project()
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, instance=instance, user=request.user)
    formsets = project_formsets(data, instance=instance)
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
        try:
            change = services.save_project(
                project,
                user=request.user,
                data=form.cleaned_data,
                partners=_partners(form.cleaned_data),
                tag_names=form.cleaned_data["tag_names"],
                effective_date=form.cleaned_data["effective_date"],
                note=form.cleaned_data["change_note"],
                formsets=formsets.values(),
            )
        except services.NotAllowed as exc:
            raise PermissionDenied from exc
        if project is None:
            messages.success(
                request, _("Das Projekt „%(title)s“ wurde angelegt.") % {"title": change.project.title}
            )
        elif change.version is not None:
            messages.success(request, _("Gespeichert; die Änderung ist in der Historie vermerkt."))
        else:
            messages.success(request, _("Gespeichert."))
        return redirect("portfolio:backoffice-project", slug=change.project.slug)
    errors = error_summary(form, formsets.values(), subform_label=_subform_label)
    return render(
        request,
        "portfolio/backoffice/project_form.html",
        {"form": form, "formsets": formsets, "project": project, "errors": errors},
    )


def _partners(cleaned):
    partners = list(cleaned["partners"])
    if cleaned.get("new_partner_name"):
        partners.append(services.partner_named(cleaned["new_partner_name"], cleaned.get("new_partner_kind")))
    return partners


def _subform_label(formset, index, field) -> str:
    return f"{formset.model._meta.verbose_name} {index}: {field.label}"


@staff_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    if not permissions.can_create_projects(request.user):
        raise PermissionDenied
    return _project_form_page(request, None)


@staff_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug):
    project = get_object_or_404(Project, slug=slug)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _project_form_page(request, project)


@staff_required
@require_http_methods(["POST"])
def project_status(request, slug):
    """The quick status change on the back office project page: status, "wirksam ab" and a note."""
    project = get_object_or_404(Project, slug=slug)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied

    def change(data):
        return services.change_status(
            project,
            data["status"],
            effective_date=data["effective_date"],
            user=request.user,
            note=data["note"],
        )

    def said(change):
        if change.version is None:
            status = project.get_status_display()
            return messages.INFO, _("Der Status war bereits „%(status)s“.") % {"status": status}
        return _("Status geändert und in der Historie vermerkt.")

    def page(form):
        history = selectors.project_history(project)
        context = {"project": project, "history": history, "can_edit": True, "status_form": form}
        return render(request, "portfolio/backoffice/project_detail.html", context)

    return perform(
        request,
        change,
        form=StatusChangeForm(request.POST),
        invalid=page,
        success=said,
        then=redirect("portfolio:backoffice-project", slug=project.slug),
    )


def _fields_of_action_manager(view):
    def wrapper(request, *args, **kwargs):
        if not permissions.can_manage_fields_of_action(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


@_fields_of_action_manager
def field_list(request):
    fields = FieldOfAction.objects.annotate(project_count=Count("projects"))
    return render(request, "portfolio/backoffice/field_list.html", {"fields": fields})


@_fields_of_action_manager
@require_http_methods(["GET", "POST"])
def field_edit(request, slug=None):
    field = get_object_or_404(FieldOfAction, slug=slug) if slug else None
    form = FieldOfActionForm(request.POST or None, instance=field)

    def page(form):
        return render(
            request,
            "portfolio/backoffice/field_form.html",
            {"form": form, "field": field, "errors": error_summary(form)},
        )

    return form_page(
        request,
        form,
        page,
        success=lambda saved: _("Handlungsfeld „%(name)s“ gespeichert.") % {"name": saved.name},
        then="portfolio:backoffice-fields",
    )
