"""/verwaltung/handlungsfelder/: the Digitalisierungsbüro keeps the list of fields of action."""

from stadtdigital.portfolio.models import FieldOfAction


def test_digital_office_creates_field_with_suggested_slug(client, digital_office_user):
    client.force_login(digital_office_user)
    response = client.post("/verwaltung/handlungsfelder/neu/", {"name": "Offene Daten", "position": "3"})
    assert response.status_code == 302
    field = FieldOfAction.objects.get(name="Offene Daten")
    assert (field.slug, field.position) == ("offene-daten", 3)


def test_digital_office_renames_field(client, digital_office_user, field_of_action):
    client.force_login(digital_office_user)
    url = f"/verwaltung/handlungsfelder/{field_of_action.slug}/bearbeiten/"
    response = client.post(url, {"name": "Schule digital", "slug": field_of_action.slug, "position": "1"})
    assert response.status_code == 302
    field_of_action.refresh_from_db()
    assert field_of_action.name == "Schule digital"


def test_duplicate_slug_is_rejected_with_message(client, digital_office_user, field_of_action):
    client.force_login(digital_office_user)
    response = client.post(
        "/verwaltung/handlungsfelder/neu/", {"name": "Andere", "slug": "schulen", "position": 0}
    )
    assert response.status_code == 200
    assert "schon vergeben" in response.content.decode()
    assert FieldOfAction.objects.count() == 1
