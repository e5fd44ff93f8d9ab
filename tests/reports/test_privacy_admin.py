import json

import pytest

from stadtdigital.core import roles
from stadtdigital.reports.models import Report, Subscription
from tests.conftest import make_user

URL = "/verwaltung/datenschutz/"


@pytest.fixture
def report(make_report):
    report = make_report(reporter_email="erika@example.org", reporter_name="Erika Beispiel")
    Subscription.objects.create(report=report, email="erika@example.org")
    return report


@pytest.mark.django_db
def test_department_staff_get_403_anonymous_go_to_login(client, department_user):
    assert client.get(URL).status_code == 302
    client.force_login(department_user)
    assert client.get(URL).status_code == 403
    assert (
        client.post(URL, {"email": "erika@example.org", "action": "delete", "confirm": "yes"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_leitstelle_shows_downloads_and_deletes(client, report):
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name="Leitstelle")
    user = make_user("leitstelle", "Leitstelle")
    client.force_login(user)
    assert client.get(URL).status_code == 200
    page = client.post(URL, {"email": "erika@example.org", "action": "show"})
    assert page.status_code == 200
    assert "Erika Beispiel" in page.content.decode() and f"#{report.pk}" in page.content.decode()

    download = client.post(URL, {"email": "erika@example.org", "action": "download"})
    assert download["Content-Disposition"].startswith("attachment")
    data = json.loads(download.content)
    assert data["reports"][0]["id"] == report.pk and len(data["subscriptions"]) == 1

    unconfirmed = client.post(URL, {"email": "erika@example.org", "action": "delete"})
    assert "Bitte bestätigen" in unconfirmed.content.decode()
    assert Report.objects.get(pk=report.pk).reporter_email == "erika@example.org"

    done = client.post(URL, {"email": "erika@example.org", "action": "delete", "confirm": "yes"})
    assert done.status_code == 200 and "gelöscht" in done.content.decode()
    report.refresh_from_db()
    assert report.reporter_email == "" and report.reporter_name == ""
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_digital_office_allowed_and_bad_email_rejected(client, digital_office_user):
    client.force_login(digital_office_user)
    response = client.post(URL, {"email": "keine-adresse", "action": "show"})
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in response.content.decode()


@pytest.mark.django_db
def test_privacy_card_template_renders_for_digital_office(digital_office_user):
    from django.template.loader import render_to_string

    html = render_to_string(
        "reports/backoffice/_privacy_card.html", {"user": digital_office_user, "is_digital_office": True}
    )
    assert URL in html
    assert roles.DIGITAL_OFFICE
