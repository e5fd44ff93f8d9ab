"""Editing a project in the back office: history with who and "wirksam ab", German input, inline rows."""

import datetime
from decimal import Decimal

import pytest

from stadtdigital.portfolio.models import KPI, Milestone, Partner, ProjectLink, Status, Tag


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(project, **overrides):
    data = {
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "field_of_action": project.field_of_action_id,
        "department": project.department_id,
        "status": project.status,
        "priority": project.priority,
        "planned_budget": "150.000,00",
        "effective_date": datetime.date.today().isoformat(),
        **management("milestones"),
        **management("kpis"),
        **management("links"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def project(make_project):
    return make_project("E-Akte im Bürgeramt")


@pytest.fixture
def signed_in(client, department_user):
    client.force_login(department_user)
    return client


def url(project):
    return f"/verwaltung/projekte/{project.slug}/bearbeiten/"


def test_status_change_through_form_records_history_with_user_date_and_note(
    signed_in, department_user, project
):
    response = signed_in.post(
        url(project),
        form_data(
            project, status=Status.IMPLEMENTATION, effective_date="01.03.2024", change_note="Vergabe erteilt"
        ),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.IMPLEMENTATION
    version = project.versions.latest("id")
    assert version.status == Status.IMPLEMENTATION
    assert version.effective_date == datetime.date(2024, 3, 1)
    assert version.recorded_by == department_user
    assert version.note == "Vergabe erteilt"
    assert project.versions.count() == 2


def test_changed_budget_is_versioned_with_effective_date(signed_in, project):
    signed_in.post(
        url(project), form_data(project, planned_budget="13.500.000,50", effective_date="2023-12-31")
    )
    project.refresh_from_db()
    assert project.planned_budget == Decimal("13500000.50")
    version = project.versions.latest("id")
    assert (version.planned_budget, version.effective_date) == (
        Decimal("13500000.50"),
        datetime.date(2023, 12, 31),
    )


def test_change_of_unversioned_field_adds_no_history(signed_in, project):
    signed_in.post(
        url(project), form_data(project, summary="Neue Kurzbeschreibung", contact_person="Frau A.")
    )
    project.refresh_from_db()
    assert project.summary == "Neue Kurzbeschreibung"
    assert project.contact_person == "Frau A."
    assert project.versions.count() == 1


def test_bad_input_changes_nothing_keeps_what_was_typed_and_names_the_field(signed_in, project):
    response = signed_in.post(
        url(project), form_data(project, title="Neuer Titel", planned_budget="13,5 Mio", status="completed")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "„13,5 Mio“ ist kein Betrag" in body
    assert 'href="#id_planned_budget"' in body  # the summary links to the field
    assert 'value="13,5 Mio"' in body and 'value="Neuer Titel"' in body
    assert 'aria-invalid="true"' in body
    project.refresh_from_db()
    assert project.title == "E-Akte im Bürgeramt"
    assert project.status == Status.PREPARATION
    assert project.versions.count() == 1


def test_form_shows_stored_money_in_german_format(signed_in, project):
    body = signed_in.get(url(project)).content.decode()
    assert 'value="150.000,00"' in body


def test_inline_milestones_kpis_links_partners_and_tags_saved_together(signed_in, project):
    partner = Partner.objects.create(name="Stadtwerke")
    data = form_data(
        project,
        partners=[partner.pk],
        new_partner_name="Hochschule Heilbronn",
        new_partner_kind="university",
        tag_names="E-Akte, Verwaltung, e-akte",
        **management("milestones", total=1),
        **{"milestones-0-title": "Pilot", "milestones-0-due": "30.06.2024", "milestones-0-done_on": ""},
        **management("kpis", total=1),
        **{
            "kpis-0-name": "Digitale Akten",
            "kpis-0-unit": "%",
            "kpis-0-target": "100",
            "kpis-0-current": "37,5",
        },
        **management("links", total=1),
        **{"links-0-title": "Projektseite", "links-0-url": "https://example.org/e-akte"},
    )
    response = signed_in.post(url(project), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(project.milestones.values_list("title", "due")) == [("Pilot", datetime.date(2024, 6, 30))]
    assert list(project.kpis.values_list("target", "current")) == [(Decimal("100"), Decimal("37.5"))]
    assert list(project.links.values_list("url", flat=True)) == ["https://example.org/e-akte"]
    assert set(project.partners.values_list("name", flat=True)) == {"Stadtwerke", "Hochschule Heilbronn"}
    assert sorted(project.tags.values_list("name", flat=True)) == ["E-Akte", "Verwaltung"]


def test_inline_rows_can_be_deleted(signed_in, project):
    milestone = Milestone.objects.create(project=project, title="Alt")
    data = form_data(
        project,
        **management("milestones", total=1, initial=1),
        **{"milestones-0-id": milestone.pk, "milestones-0-title": "Alt", "milestones-0-DELETE": "on"},
    )
    assert signed_in.post(url(project), data).status_code == 302
    assert not project.milestones.exists()


def test_bad_inline_row_saves_nothing(signed_in, project):
    data = form_data(
        project,
        status=Status.COMPLETED,
        tag_names="Neu",
        **management("links", total=1),
        **{"links-0-title": "Kaputt", "links-0-url": "kein link"},
    )
    response = signed_in.post(url(project), data)
    assert response.status_code == 200
    assert "Link 1" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Status.PREPARATION
    assert not ProjectLink.objects.exists() and not Tag.objects.exists() and not KPI.objects.exists()


def test_quick_status_change_on_project_page(signed_in, department_user, project):
    response = signed_in.post(
        f"/verwaltung/projekte/{project.slug}/status/",
        {"status": "paused", "effective_date": "2024-02-29", "note": "Haushaltssperre"},
    )
    assert response.status_code == 302
    version = project.versions.latest("id")
    assert (version.status, version.effective_date, version.recorded_by, version.note) == (
        "paused",
        datetime.date(2024, 2, 29),
        department_user,
        "Haushaltssperre",
    )
    page = signed_in.get(f"/verwaltung/projekte/{project.slug}/").content.decode()
    assert "Haushaltssperre" in page and "fachbereich" in page  # who recorded it, in the back office only


def test_quick_status_change_requires_effective_date(signed_in, project):
    response = signed_in.post(f"/verwaltung/projekte/{project.slug}/status/", {"status": "paused"})
    assert response.status_code == 200
    assert project.versions.count() == 1


@pytest.mark.parametrize("partner", ["99999999999999999999999", "-99999999999999999999999"])
def test_partner_id_too_large_for_the_database_is_a_form_error(signed_in, project, partner):
    before = project.versions.count()
    response = signed_in.post(url(project), form_data(project, title="Neu", partners=[partner]))
    assert response.status_code == 200
    assert response.context["form"].errors["partners"]
    project.refresh_from_db()
    assert project.title == "E-Akte im Bürgeramt" and project.versions.count() == before
