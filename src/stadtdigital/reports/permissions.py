"""Who may see and change which report (roles in core/roles.py). Views and services both ask here.

- Digitalisierungsbüro, Leitstelle (and superusers): see and change every report.
- Fachbereich: sees and changes the reports of the departments they belong to (Department.staff); the
  role is needed as well as the membership, as in the portfolio.
- Lesezugriff: sees every report in the back office, changes nothing and does not see reporters' contact
  data (need to know: only those who work on a report see who filed it).
A user may hold several roles; the widest wins.

Answer templates: Digitalisierungsbüro and Leitstelle manage all of them; department staff create, edit and
delete templates of their own departments' categories and use (read-only) the global ones (no category);
Lesezugriff reads them.
"""

from stadtdigital.core import roles
from stadtdigital.core.models import Department
from stadtdigital.reports.models import AnswerTemplate, Report


def _role_names(user) -> frozenset:
    """The user's group names, cached on the user object (one query per request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_report_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._report_role_names = cached
    return cached


def changes_all_reports(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_role_names(user) & {roles.DIGITAL_OFFICE, roles.LEITSTELLE})


def sees_all_reports(user) -> bool:
    return changes_all_reports(user) or roles.READ_ONLY in _role_names(user)


def is_department_staff(user) -> bool:
    return roles.DEPARTMENT_STAFF in _role_names(user)


def departments_for_changing(user):
    """The departments whose reports the user may change."""
    if changes_all_reports(user):
        return Department.objects.all()
    if is_department_staff(user):
        return Department.objects.filter(staff=user)
    return Department.objects.none()


def visible_departments(user):
    if sees_all_reports(user):
        return Department.objects.all()
    return departments_for_changing(user)


def visible_reports(user):
    if sees_all_reports(user):
        return Report.objects.all()
    if is_department_staff(user):
        return Report.objects.filter(department__staff=user)
    return Report.objects.none()


def changeable_reports(user):
    if changes_all_reports(user):
        return Report.objects.all()
    if is_department_staff(user):
        return Report.objects.filter(department__staff=user)
    return Report.objects.none()


def can_view_report(user, report: Report) -> bool:
    if sees_all_reports(user):
        return True
    return is_department_staff(user) and report.department.staff.filter(pk=user.pk).exists()


def can_change_report(user, report: Report) -> bool:
    if changes_all_reports(user):
        return True
    return is_department_staff(user) and report.department.staff.filter(pk=user.pk).exists()


def can_see_personal_data(user, report: Report) -> bool:
    return can_change_report(user, report)


# --- answer templates -------------------------------------------------------------------------------------


def manages_all_templates(user) -> bool:
    return changes_all_reports(user)


def visible_templates(user):
    if sees_all_reports(user):
        return AnswerTemplate.objects.all()
    if is_department_staff(user):
        departments = Department.objects.filter(staff=user)
        return AnswerTemplate.objects.filter(category__isnull=True) | AnswerTemplate.objects.filter(
            category__department__in=departments
        )
    return AnswerTemplate.objects.none()


def can_create_templates(user) -> bool:
    return manages_all_templates(user) or (
        is_department_staff(user) and Department.objects.filter(staff=user).exists()
    )


def can_change_template(user, template: AnswerTemplate) -> bool:
    if manages_all_templates(user):
        return True
    if not is_department_staff(user) or template.category_id is None:
        return False
    return template.category.department.staff.filter(pk=user.pk).exists()
