"""Area alerts: double opt-in, matching by circle and category, one mail each with unsubscribe link."""

import pytest
from django.core import mail
from django.urls import reverse

from stadtdigital.reports.models import AreaAlert, Visibility
from stadtdigital.reports.services import alerts

pytestmark = pytest.mark.django_db

CENTRE = (49.142, 9.21)


@pytest.fixture
def confirmed_alert():
    def make(email="anwohner@example.org", lat=CENTRE[0], lon=CENTRE[1], radius_m=500, category=None):
        alert = alerts.subscribe_area_alert(email, lat, lon, radius_m, category)
        return alerts.confirm_area_alert(alert.token)

    return make


def test_subscribe_sends_confirmation_and_nothing_until_confirmed(
    make_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = alerts.subscribe_area_alert("neu@example.org", *CENTRE, 500)
    assert alert.confirmed_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["neu@example.org"]
    confirm_url = reverse("reports:alert-confirm", kwargs={"token": alert.token})
    assert confirm_url in mail.outbox[0].body
    mail.outbox.clear()
    assert alerts.notify_new_public_report(make_report(lat=CENTRE[0], lon=CENTRE[1])) == 0
    assert alerts.confirm_area_alert(alert.token).confirmed_at is not None
    assert alerts.notify_new_public_report(make_report(lat=CENTRE[0], lon=CENTRE[1])) == 1
    assert mail.outbox[-1].to == ["neu@example.org"]
    assert reverse("reports:alert-unsubscribe", kwargs={"token": alert.token}) in mail.outbox[-1].body


def test_matching_by_radius_and_category(make_report, confirmed_alert, other_category, category):
    near = confirmed_alert("near@example.org", radius_m=200)
    wide = confirmed_alert("wide@example.org", radius_m=1000)
    only_playgrounds = confirmed_alert("spiel@example.org", radius_m=5000, category=other_category)
    # about 450 m north of the centre
    report = make_report(lat=CENTRE[0] + 0.00405, lon=CENTRE[1])
    matched = {a.email for a in alerts.matching_alerts(report)}
    assert matched == {wide.email}
    playground = make_report(category=other_category, lat=CENTRE[0], lon=CENTRE[1] + 0.001)
    assert {a.email for a in alerts.matching_alerts(playground)} == {
        near.email,
        wide.email,
        only_playgrounds.email,
    }


def test_no_alerts_for_non_public_reports_or_own_reports(make_report, confirmed_alert):
    confirmed_alert("ich@example.org")
    assert alerts.notify_new_public_report(make_report(visibility=Visibility.PENDING_CONFIRMATION)) == 0
    assert alerts.notify_new_public_report(make_report(reporter_email="ICH@example.org")) == 0


def test_unsubscribe_deletes_the_address(client, confirmed_alert):
    alert = confirmed_alert()
    url = reverse("reports:alert-unsubscribe", kwargs={"token": alert.token})
    assert client.get(url).status_code == 200  # asks first
    assert AreaAlert.objects.filter(pk=alert.pk).exists()
    assert client.post(url).status_code == 200
    assert not AreaAlert.objects.filter(email="anwohner@example.org").exists()
    assert client.get(url).status_code == 404


def test_invalid_input_is_rejected():
    with pytest.raises(alerts.AlertError):
        alerts.subscribe_area_alert("a@example.org", 10.0, 10.0, 500)  # outside the city
    with pytest.raises(alerts.AlertError):
        alerts.subscribe_area_alert("a@example.org", *CENTRE, 123)
    assert alerts.confirm_area_alert("kein-token") is None
    assert not AreaAlert.objects.exists()


def test_subscribe_page_with_coordinates(client, django_capture_on_commit_callbacks):
    url = reverse("reports:alert-subscribe")
    assert client.get(url, {"lat": "49.15", "lon": "9.2"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"email": "web@example.org", "lat": "49.15", "lon": "9.2", "radius_m": "1000", "consent": "on"},
        )
    assert response.status_code == 200
    assert "Fast geschafft" in response.content.decode()
    alert = AreaAlert.objects.get()
    assert (alert.email, alert.radius_m, alert.confirmed_at) == ("web@example.org", 1000, None)
    confirm = client.get(reverse("reports:alert-confirm", kwargs={"token": alert.token}))
    assert confirm.status_code == 200
    alert.refresh_from_db()
    assert alert.confirmed_at is not None


def test_subscribe_page_errors_keep_input_and_store_nothing(client):
    response = client.post(
        reverse("reports:alert-subscribe"), {"email": "kaputt", "address": "", "radius_m": "500"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "error-summary" in html
    assert 'value="kaputt"' in html
    assert not AreaAlert.objects.exists()
    outside = client.post(
        reverse("reports:alert-subscribe"),
        {"email": "a@example.org", "lat": "10", "lon": "10", "radius_m": "500", "consent": "on"},
    )
    assert "außerhalb des Stadtgebiets" in outside.content.decode()
    honeypot = client.post(
        reverse("reports:alert-subscribe"),
        {
            "email": "a@example.org",
            "lat": "49.15",
            "lon": "9.2",
            "radius_m": "500",
            "consent": "on",
            "website": "x",
        },
    )
    assert honeypot.status_code == 200
    assert not AreaAlert.objects.exists()
