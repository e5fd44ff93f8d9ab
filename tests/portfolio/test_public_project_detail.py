"""/projekte/<slug>/: the full public profile, with history-based timeline, and nothing internal."""

import datetime
from decimal import Decimal

import pytest

from stadtdigital.portfolio import services
from stadtdigital.portfolio.models import KPI, Milestone, Partner, PartnerKind, ProjectLink, Status, Tag
from tests.conftest import make_user


@pytest.fixture
def project(make_project, digital_office_user):
    digital_office_user.first_name, digital_office_user.last_name = "Erika", "Intern-Mustermann"
    digital_office_user.save()
    project = make_project(
        "Mängelmelder",
        summary="Anliegen online melden",
        description="Ein Reallabor Anliegenmanagement.",
        contact_person="Max Geheim-Kontakt",
        internal_notes="Vertraulich: Vergabe noch offen",
        planned_start=datetime.date(2021, 3, 1),
        actual_start=datetime.date(2021, 4, 15),
        planned_budget=Decimal("250000.00"),
        cost_to_date=Decimal("12345.67"),
        funding_amount=Decimal("100000.00"),
        funding_source="Land Baden-Württemberg",
        user=digital_office_user,
    )
    services.change_status(
        project,
        Status.IMPLEMENTATION,
        effective_date=datetime.date(2021, 4, 15),
        user=digital_office_user,
        note="Auftrag vergeben",
    )
    project.partners.add(Partner.objects.create(name="Hochschule Musterstadt", kind=PartnerKind.UNIVERSITY))
    project.tags.add(Tag.objects.create(name="Bürgerservice"))
    Milestone.objects.create(
        project=project,
        title="Pilot gestartet",
        due=datetime.date(2021, 6, 1),
        done_on=datetime.date(2021, 6, 3),
    )
    Milestone.objects.create(project=project, title="Stadtweiter Betrieb", due=datetime.date(2022, 1, 1))
    KPI.objects.create(
        project=project,
        name="Meldungen pro Monat",
        unit="Meldungen",
        target=Decimal("500"),
        current=Decimal("1234.5"),
        as_of=datetime.date(2021, 6, 30),
    )
    ProjectLink.objects.create(project=project, title="Zum Mängelmelder", url="https://example.org/maengel")
    return project


def test_profile_shows_public_facts(client, project):
    body = client.get(f"/projekte/{project.slug}/").content.decode()
    for text in (
        "Mängelmelder",
        "Anliegen online melden",
        "Reallabor Anliegenmanagement",
        "Schulen und Bildung",
        "Amt für Digitalisierung",
        "250.000,00\u00a0€",
        "12.345,67\u00a0€",
        "100.000,00\u00a0€",
        "Land Baden-Württemberg",
        "01.03.2021",
        "15.04.2021",
        "Hochschule Musterstadt",
        "Hochschule",
        "Bürgerservice",
        'href="https://example.org/maengel"',
    ):
        assert text in body, text


def test_milestones_show_done_and_open(client, project):
    body = client.get(f"/projekte/{project.slug}/").content.decode()
    assert "Pilot gestartet" in body and "erreicht am 03.06.2021" in body
    assert "Stadtweiter Betrieb" in body and "offen" in body


def test_kpis_show_target_current_and_as_of(client, project):
    body = client.get(f"/projekte/{project.slug}/").content.decode()
    assert "500\u00a0Meldungen" in body
    assert "1.234,50\u00a0Meldungen" in body
    assert "30.06.2021" in body


def test_timeline_uses_effective_dates_of_history(client, project):
    response = client.get(f"/projekte/{project.slug}/")
    timeline = response.context["timeline"]
    assert [(v.status, v.effective_date) for v in timeline] == [
        ("preparation", datetime.date(2020, 1, 15)),
        ("implementation", datetime.date(2021, 4, 15)),
    ]
    body = response.content.decode()
    assert "ab 15.04.2021" in body and "Auftrag vergeben" in body


@pytest.mark.parametrize("url", ["/projekte/", "/projekte/maengelmelder/", "/projekte/?q=M%C3%A4ngel"])
def test_internal_fields_never_public(client, project, url):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "Mängelmelder" in body  # the project is on the page
    assert "Max Geheim-Kontakt" not in body
    assert "Vertraulich" not in body
    assert "Intern-Mustermann" not in body
    assert "cdo" not in body  # the recording user's login name


def test_internal_fields_stay_hidden_for_signed_in_staff_too(client, project):
    client.force_login(make_user("leser", "Lesezugriff"))
    body = client.get(f"/projekte/{project.slug}/").content.decode()
    assert "Max Geheim-Kontakt" not in body and "Vertraulich" not in body


def test_unknown_project_is_404(client, db):
    assert client.get("/projekte/gibt-es-nicht/").status_code == 404
