"""Back office for the category catalogue: /verwaltung/anliegen/kategorien/ (groups, categories and their
extra questions). Forms in forms_categories.py, writes in services/categories.py.

Who may do what (decided here, see `can_manage_categories`):
- Digitalisierungsbüro, Leitstelle and superusers create and change groups, categories and questions.
  Categories are shared by all departments (routing, duplicate radius, target days), so a department must
  not change them for everyone.
- Every other back office role (Fachbereich, Lesezugriff) sees the list read-only: which category goes to
  which department, with which radius and target days, is useful to know when re-routing a report.
  The create, edit and delete pages answer 403 to them, for GET and POST alike.

Nothing stored is lost: a category with reports is deactivated instead of deleted (it leaves the citizen
form, its reports stay), and a question that has answers cannot be removed (the form says so).
A new department on a category applies to new reports only; existing reports keep theirs.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stadtdigital.core import roles
from stadtdigital.core.actions import form_page, perform
from stadtdigital.core.forms import error_summary
from stadtdigital.core.views import staff_required
from stadtdigital.reports.forms_categories import CategoryForm, CategoryGroupForm, question_formset
from stadtdigital.reports.models import Category, CategoryGroup
from stadtdigital.reports.services import categories as services


def can_manage_categories(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return roles.is_digital_office(user) or roles.has_role(user, roles.LEITSTELLE)


def _manager_required(view):
    def wrapper(request, *args, **kwargs):
        if not can_manage_categories(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def _question_label(formset, index, field) -> str:
    return _("Zusatzfrage %(number)s: %(field)s") % {"number": index, "field": field.label}


# --- list -------------------------------------------------------------------------------------------------


@staff_required
def category_list(request):
    report_counts = services.report_counts()
    question_counts = services.question_counts()
    groups = list(CategoryGroup.objects.all())
    by_group = {group.pk: [] for group in groups}
    for category in Category.objects.select_related("department").order_by("position", "name"):
        category.report_count = report_counts.get(category.pk, 0)
        category.question_count = question_counts.get(category.pk, 0)
        by_group.setdefault(category.group_id, []).append(category)
    for group in groups:
        group.category_list = by_group[group.pk]
    return render(
        request,
        "reports/backoffice/category_list.html",
        {"groups": groups, "can_manage": can_manage_categories(request.user)},
    )


# --- categories -------------------------------------------------------------------------------------------


def _category_page(request, category):
    """Create (category=None) or edit: the category form and its questions, saved in one transaction."""
    # The forms work on their own copy, so a rejected edit does not leak into the page's heading.
    instance = Category.objects.get(pk=category.pk) if category else Category()
    data = request.POST if request.method == "POST" else None
    form = CategoryForm(data, instance=instance)
    formset = question_formset(data, instance=instance)
    if data is not None:
        form_valid = form.is_valid()
        if form_valid and formset.is_valid():
            try:
                saved = services.save_category(category, fields=form.category_fields(), questions=formset)
            except services.QuestionInUse as exc:
                messages.error(
                    request,
                    _(
                        "Die Frage „%(label)s“ wurde inzwischen beantwortet und bleibt; "
                        "nichts wurde gespeichert."
                    )
                    % {"label": exc.question.label},
                )
                return redirect("reports:backoffice-category-edit", code=category.code)
            messages.success(request, _("Kategorie „%(name)s“ gespeichert.") % {"name": saved.name})
            return redirect("reports:backoffice-categories")
        formset.is_valid()  # also when the category form failed: show every problem at once
    return render(
        request,
        "reports/backoffice/category_form.html",
        {
            "form": form,
            "formset": formset,
            "category": category,
            "errors": error_summary(form, [formset], subform_label=_question_label),
            "has_groups": CategoryGroup.objects.exists(),
        },
    )


@_manager_required
@require_http_methods(["GET", "POST"])
def category_create(request):
    return _category_page(request, None)


@_manager_required
@require_http_methods(["GET", "POST"])
def category_edit(request, code):
    return _category_page(request, get_object_or_404(Category, code=code))


@_manager_required
@require_http_methods(["GET", "POST"])
def category_delete(request, code):
    """Deletes a category without reports; one with reports can only be (de)activated."""
    category = get_object_or_404(Category, code=code)
    report_count = category.reports.count()
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("deactivate", "activate"):
            active = action == "activate"
            success = (
                _("Kategorie „%(name)s“ ist wieder aktiv.")
                if active
                else _("Kategorie „%(name)s“ deaktiviert; ihre Anliegen bleiben erhalten.")
            )
            return perform(
                request,
                lambda: services.set_active(category, active),
                success=success % {"name": category.name},
                then="reports:backoffice-categories",
            )
        if action == "delete":
            try:
                services.delete_category(category)
            except services.CategoryInUse:
                messages.error(
                    request,
                    _(
                        "Zu dieser Kategorie gibt es Anliegen; sie lässt sich nur deaktivieren, "
                        "nicht löschen."
                    ),
                )
                return redirect("reports:backoffice-category-delete", code=category.code)
            messages.success(request, _("Kategorie „%(name)s“ gelöscht.") % {"name": category.name})
            return redirect("reports:backoffice-categories")
    return render(
        request,
        "reports/backoffice/category_delete.html",
        {
            "category": category,
            "report_count": report_count,
            "question_count": category.questions.count(),
            "template_count": category.answer_templates.count(),
        },
    )


# --- groups -----------------------------------------------------------------------------------------------


@_manager_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk=None):
    group = get_object_or_404(CategoryGroup, pk=pk) if pk is not None else None
    instance = CategoryGroup.objects.get(pk=group.pk) if group else CategoryGroup()
    form = CategoryGroupForm(request.POST or None, instance=instance)

    def page(form):
        context = {"form": form, "group": group, "errors": error_summary(form)}
        return render(request, "reports/backoffice/category_group_form.html", context)

    return form_page(
        request,
        form,
        page,
        save=lambda data: services.save_group(group, fields=dict(data)),
        success=lambda saved: _("Gruppe „%(name)s“ gespeichert.") % {"name": saved.name},
        then="reports:backoffice-categories",
    )
