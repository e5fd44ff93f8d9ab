"""Who may edit which project: the rules of permissions.py, and that the back office enforces them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from stadtdigital.core import roles
from stadtdigital.portfolio import permissions
from stadtdigital.portfolio.models import Project, ProjectVersion, Status
from tests.conftest import make_user


@pytest.fixture
def own_project(make_project, department):
    return make_project("WLAN im Rathaus", department=department)


@pytest.fixture
def foreign_project(make_project, other_department):
    return make_project("Tablets für Grundschulen", department=other_department)


@pytest.fixture
def read_only_user(db):
    return make_user("lesend", roles.READ_ONLY)


def edit_data(project, **overrides):
    data = {
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "field_of_action": project.field_of_action_id,
        "department": project.department_id,
        "status": project.status,
        "priority": project.priority,
        "planned_budget": "999.999,00",
        "effective_date": "2024-05-01",
        **{
            f"{prefix}-{key}": value
            for prefix in ("milestones", "kpis", "links")
            for key, value in (
                ("TOTAL_FORMS", "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            )
        },
    }
    data.update(overrides)
    return data


def test_rules_per_role(department_user, digital_office_user, read_only_user, own_project, foreign_project):
    assert permissions.can_edit_project(department_user, own_project)
    assert not permissions.can_edit_project(department_user, foreign_project)
    assert list(permissions.editable_projects(department_user)) == [own_project]
    assert permissions.can_edit_project(digital_office_user, foreign_project)
    assert set(permissions.editable_projects(digital_office_user)) == {own_project, foreign_project}
    assert not permissions.can_edit_project(read_only_user, own_project)
    assert not permissions.editable_projects(read_only_user).exists()
    assert not permissions.can_create_projects(read_only_user)


def test_department_membership_without_role_grants_nothing(department, own_project):
    member = User.objects.create_user("nur-mitglied", password="x" * 12)
    department.staff.add(member)
    assert not permissions.can_edit_project(member, own_project)


def test_inactive_digital_office_user_edits_nothing(digital_office_user, own_project):
    digital_office_user.is_active = False
    digital_office_user.save()
    assert not permissions.can_edit_project(digital_office_user, own_project)


def test_department_user_edits_own_departments_project(client, department_user, own_project):
    client.force_login(department_user)
    url = f"/verwaltung/projekte/{own_project.slug}/bearbeiten/"
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(own_project))
    assert response.status_code == 302
    own_project.refresh_from_db()
    assert own_project.planned_budget == Decimal("999999.00")


def test_department_user_gets_403_on_other_departments_project_and_it_stays_unchanged(
    client, department_user, foreign_project
):
    client.force_login(department_user)
    url = f"/verwaltung/projekte/{foreign_project.slug}/bearbeiten/"
    versions_before = ProjectVersion.objects.filter(project=foreign_project).count()

    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(foreign_project, title="Gekapert")).status_code == 403
    status_url = f"/verwaltung/projekte/{foreign_project.slug}/status/"
    assert client.post(status_url, {"status": "cancelled", "effective_date": "2024-01-01"}).status_code == 403

    foreign_project.refresh_from_db()
    assert foreign_project.title == "Tablets für Grundschulen"
    assert foreign_project.planned_budget == Decimal("150000.00")
    assert foreign_project.status == Status.PREPARATION
    assert ProjectVersion.objects.filter(project=foreign_project).count() == versions_before


def test_department_user_cannot_move_own_project_into_foreign_department(
    client, department_user, own_project, other_department
):
    client.force_login(department_user)
    url = f"/verwaltung/projekte/{own_project.slug}/bearbeiten/"
    response = client.post(url, edit_data(own_project, department=other_department.pk))
    assert response.status_code == 200  # the form again, with an error
    assert "error-summary" in response.content.decode()
    own_project.refresh_from_db()
    assert own_project.department_id != other_department.pk


def test_department_user_cannot_create_project_in_foreign_department(
    client, department_user, field_of_action, other_department
):
    client.force_login(department_user)
    data = edit_data(
        Project(title="Fremdprojekt", field_of_action=field_of_action, department=other_department),
    )
    response = client.post("/verwaltung/projekte/neu/", data)
    assert response.status_code == 200
    assert not Project.objects.filter(title="Fremdprojekt").exists()


def test_department_user_creates_project_in_own_department(
    client, department_user, field_of_action, department
):
    client.force_login(department_user)
    data = edit_data(
        Project(title="Digitales Bürgeramt", field_of_action=field_of_action, department=department)
    )
    response = client.post("/verwaltung/projekte/neu/", data)
    assert response.status_code == 302
    project = Project.objects.get(title="Digitales Bürgeramt")
    assert project.department == department
    assert project.versions.get().recorded_by == department_user


def test_read_only_user_sees_but_cannot_change(client, read_only_user, own_project):
    client.force_login(read_only_user)
    assert client.get("/verwaltung/projekte/").status_code == 200
    assert client.get(f"/verwaltung/projekte/{own_project.slug}/").status_code == 200
    url = f"/verwaltung/projekte/{own_project.slug}/bearbeiten/"
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(own_project, title="Geändert")).status_code == 403
    assert client.get("/verwaltung/projekte/neu/").status_code == 403
    status_url = f"/verwaltung/projekte/{own_project.slug}/status/"
    assert client.post(status_url, {"status": "completed", "effective_date": "2024-01-01"}).status_code == 403
    own_project.refresh_from_db()
    assert own_project.title == "WLAN im Rathaus"
    assert own_project.versions.count() == 1


def test_only_digital_office_manages_fields_of_action(client, department_user, digital_office_user):
    client.force_login(department_user)
    assert client.get("/verwaltung/handlungsfelder/").status_code == 403
    assert client.post("/verwaltung/handlungsfelder/neu/", {"name": "Neu", "position": 1}).status_code == 403
    client.force_login(digital_office_user)
    assert client.get("/verwaltung/handlungsfelder/").status_code == 200


def test_anonymous_is_sent_to_login(client, own_project):
    for url in (
        "/verwaltung/projekte/",
        f"/verwaltung/projekte/{own_project.slug}/bearbeiten/",
        "/verwaltung/handlungsfelder/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/verwaltung/anmelden/?next=")


def test_digital_office_edits_any_project(client, digital_office_user, foreign_project):
    client.force_login(digital_office_user)
    url = f"/verwaltung/projekte/{foreign_project.slug}/bearbeiten/"
    response = client.post(
        url, edit_data(foreign_project, effective_date=datetime.date(2024, 2, 1).isoformat())
    )
    assert response.status_code == 302
    assert foreign_project.versions.latest("id").effective_date == datetime.date(2024, 2, 1)
