"""/anliegen/feed.atom: Atom feed of the newest public reports for any list filter."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from stadtdigital.reports.models import State, Visibility

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, **params):
    response = client.get(reverse("reports:feed"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return root, root.findall(f"{ATOM}entry")


def test_feed_lists_public_reports_only(client, make_report):
    report = make_report(address="Marktplatz 2", description="Loch <b>tief</b>")
    make_report(visibility=Visibility.HIDDEN, address="Versteckt 1")
    make_report(visibility=Visibility.PENDING_CONFIRMATION, address="Unbestätigt 1")
    root, items = entries(client)
    assert [item.find(f"{ATOM}title").text for item in items] == [
        "Straßenschäden und Schlaglöcher: Marktplatz 2"
    ]
    summary = items[0].find(f"{ATOM}summary").text
    assert "Loch &lt;b&gt;tief&lt;/b&gt;" in summary  # the citizen's text cannot inject markup
    assert items[0].find(f"{ATOM}updated").text
    assert (
        items[0].find(f"{ATOM}link").get("href").endswith(reverse("reports:detail", kwargs={"pk": report.pk}))
    )


def test_feed_follows_the_list_filters(client, make_report, other_category):
    make_report(address="A")
    make_report(category=other_category, address="B")
    make_report(state=State.FIXED, address="C")
    _, items = entries(client, kategorie="spielplatz")
    assert [i.find(f"{ATOM}title").text for i in items] == ["Spielplätze: B"]
    _, items = entries(client, status="fixed")
    assert [i.find(f"{ATOM}title").text for i in items] == ["Straßenschäden und Schlaglöcher: C"]
    _, items = entries(client, status="alle")
    assert len(items) == 3


def test_feed_has_no_personal_data(client, make_report):
    make_report(
        reporter_name="Feed Person", reporter_email="feed@example.org", reporter_phone="0999", show_name=True
    )
    content = client.get(reverse("reports:feed")).content.decode()
    for secret in ("Feed Person", "feed@example.org", "0999"):
        assert secret not in content


def test_bad_filter_is_400(client):
    assert client.get(reverse("reports:feed"), {"von": "nie"}).status_code == 400


def test_feed_and_entry_ids_come_from_site_url_whatever_host_was_asked(client, make_report, settings):
    """RFC 4287 4.2.6: an id is permanent; two hosts (or a proxy) must not make two feeds of one."""
    settings.SITE_URL = "https://mängelmelder.stadt.example"
    settings.ALLOWED_HOSTS = ["stadt.example", "intern.stadt.example", "testserver"]
    report = make_report()
    ids = []
    for host in ("stadt.example", "intern.stadt.example"):
        response = client.get(reverse("reports:feed"), {"status": "offen"}, HTTP_HOST=host)
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 - our own response
        entry = root.find(f"{ATOM}entry")
        ids.append((root.find(f"{ATOM}id").text, entry.find(f"{ATOM}id").text))
    assert ids[0] == ids[1]
    feed_id, entry_id = ids[0]
    assert feed_id.startswith("https://mängelmelder.stadt.example" + reverse("reports:feed"))
    assert entry_id == "https://mängelmelder.stadt.example" + report.get_absolute_url()
