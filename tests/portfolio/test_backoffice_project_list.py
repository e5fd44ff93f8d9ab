"""/verwaltung/projekte/: everyone with a role sees all projects; edit links and "editable by me" per user."""

from stadtdigital.core import roles
from tests.conftest import make_user


def test_department_user_sees_all_but_edit_links_only_for_own(
    client, department_user, make_project, other_department
):
    own = make_project("Eigenes Projekt")
    foreign = make_project("Fremdes Projekt", department=other_department)
    client.force_login(department_user)
    body = client.get("/verwaltung/projekte/").content.decode()
    assert "Eigenes Projekt" in body and "Fremdes Projekt" in body
    assert f"/verwaltung/projekte/{own.slug}/bearbeiten/" in body
    assert f"/verwaltung/projekte/{foreign.slug}/bearbeiten/" not in body
    assert "/verwaltung/projekte/neu/" in body


def test_editable_by_me_filter(client, department_user, make_project, other_department):
    make_project("Eigenes Projekt")
    make_project("Fremdes Projekt", department=other_department)
    client.force_login(department_user)
    response = client.get("/verwaltung/projekte/", {"bearbeitbar": "1"})
    assert [p.title for p in response.context["page"]] == ["Eigenes Projekt"]


def test_read_only_user_gets_no_create_or_edit_links(client, make_project):
    project = make_project()
    client.force_login(make_user("leser", roles.READ_ONLY))
    body = client.get("/verwaltung/projekte/").content.decode()
    assert "/verwaltung/projekte/neu/" not in body
    assert f"/verwaltung/projekte/{project.slug}/bearbeiten/" not in body


def test_backoffice_project_page_shows_internal_fields(client, department_user, make_project):
    project = make_project(contact_person="Frau Intern", internal_notes="nur für uns")
    client.force_login(department_user)
    body = client.get(f"/verwaltung/projekte/{project.slug}/").content.decode()
    assert "Frau Intern" in body and "nur für uns" in body
