"""Who may do what with the portfolio (roles in core/roles.py).

- Digitalisierungsbüro (and superusers): everything, including the list of fields of action.
- Fachbereich: edits projects of the departments they belong to (Department.staff) and creates
  projects only for those departments.
- Lesezugriff: sees the back office, changes nothing.
A user may hold several roles; the widest wins.
"""

from stadtdigital.core import roles
from stadtdigital.core.models import Department
from stadtdigital.portfolio.models import Project


def manages_whole_portfolio(user) -> bool:
    return user.is_active and roles.is_digital_office(user)


def can_manage_fields_of_action(user) -> bool:
    return manages_whole_portfolio(user)


def departments_for_editing(user):
    """The departments whose projects the user may edit and create."""
    if not user.is_authenticated or not user.is_active:
        return Department.objects.none()
    if manages_whole_portfolio(user):
        return Department.objects.all()
    if roles.has_role(user, roles.DEPARTMENT_STAFF):
        return Department.objects.filter(staff=user)
    return Department.objects.none()


def editable_projects(user):
    if manages_whole_portfolio(user):
        return Project.objects.all()
    return Project.objects.filter(department__in=departments_for_editing(user))


def can_edit_project(user, project: Project) -> bool:
    if manages_whole_portfolio(user):
        return True
    return departments_for_editing(user).filter(pk=project.department_id).exists()


def can_create_project_for(user, department: Department) -> bool:
    return departments_for_editing(user).filter(pk=department.pk).exists()


def can_create_projects(user) -> bool:
    return departments_for_editing(user).exists()
