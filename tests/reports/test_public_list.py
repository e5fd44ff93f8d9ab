"""/anliegen/: the public list with its filters, sorting, paging and links; only public reports appear."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stadtdigital.reports.models import State, Visibility

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get(reverse("reports:list"), params)
    assert response.status_code == 200
    return [report.pk for report in response.context["page"].object_list]


def test_only_public_reports_are_listed(client, make_report):
    public = make_report(description="öffentlich")
    hidden = make_report(visibility=Visibility.HIDDEN, description="versteckt-xyz")
    pending = make_report(visibility=Visibility.PENDING_CONFIRMATION, description="unbestaetigt-xyz")
    ids = listed(client, status="alle")
    assert ids == [public.pk]
    content = client.get(reverse("reports:list"), {"status": "alle"}).content.decode()
    assert "versteckt-xyz" not in content and "unbestaetigt-xyz" not in content
    assert hidden.pk not in ids and pending.pk not in ids


def test_default_shows_open_reports_and_status_filters(client, make_report):
    open_report = make_report(state=State.IN_PROGRESS)
    fixed = make_report(state=State.FIXED)
    not_fixed = make_report(state=State.CLOSED_NOT_FIXED)
    assert listed(client) == [open_report.pk]
    assert listed(client, status="offen") == [open_report.pk]
    assert set(listed(client, status="geschlossen")) == {fixed.pk, not_fixed.pk}
    assert listed(client, status="fixed") == [fixed.pk]
    assert listed(client, status="closed_not_fixed") == [not_fixed.pk]
    assert len(listed(client, status="alle")) == 3


def test_category_filter(client, make_report, other_category):
    pothole = make_report()
    playground = make_report(category=other_category)
    assert listed(client, kategorie="schlagloch") == [pothole.pk]
    assert listed(client, kategorie="spielplatz") == [playground.pk]


def test_text_search_in_description_and_address(client, make_report):
    by_text = make_report(description="Laterne flackert")
    by_address = make_report(description="kaputt", address="Bahnhofstraße 3")
    make_report(description="anderes")
    assert listed(client, q="laterne") == [by_text.pk]
    assert listed(client, q="Bahnhof") == [by_address.pk]


def test_period_filters(client, make_report):
    now = timezone.now()
    recent = make_report(created_at=now - datetime.timedelta(days=2))
    older = make_report(created_at=now - datetime.timedelta(days=40))
    assert listed(client, zeitraum="7") == [recent.pk]
    assert set(listed(client, zeitraum="90")) == {recent.pk, older.pk}
    day = timezone.localdate(older.created_at)
    assert listed(client, von=day.isoformat(), bis=day.isoformat()) == [older.pk]
    assert listed(client, von=(day + datetime.timedelta(days=1)).isoformat()) == [recent.pk]


def test_sorting_newest_and_most_supported(client, make_report):
    now = timezone.now()
    old_popular = make_report(created_at=now - datetime.timedelta(days=5), supporters_count=9)
    new_quiet = make_report(created_at=now - datetime.timedelta(days=1), supporters_count=0)
    assert listed(client) == [new_quiet.pk, old_popular.pk]
    assert listed(client, sortierung="unterstuetzt") == [old_popular.pk, new_quiet.pk]
    assert listed(client, sortierung="aelteste") == [old_popular.pk, new_quiet.pk]


def test_bad_filter_values_show_an_error_not_a_crash(client, make_report):
    make_report()
    response = client.get(reverse("reports:list"), {"von": "gestern", "status": "quatsch", "seite": "x"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_paging_and_page_content(client, make_report):
    for number in range(30):
        make_report(address=f"Teststraße {number}")
    response = client.get(reverse("reports:list"))
    page = response.context["page"]
    assert page.paginator.count == 30 and len(page.object_list) == 25
    second = client.get(reverse("reports:list"), {"seite": 2})
    assert len(second.context["page"].object_list) == 5
    html = response.content.decode()
    # the list carries what the map shows: category, state, address, date, supporters
    assert "Straßenschäden und Schlaglöcher: Teststraße 29" in html
    assert "eingegangen" in html and "Unterstützungen" in html


def test_links_to_new_report_feed_and_alerts(client, make_report):
    make_report()
    html = client.get(reverse("reports:list"), {"kategorie": "schlagloch"}).content.decode()
    assert 'type="application/atom+xml"' in html
    assert reverse("reports:feed") + "?kategorie=schlagloch&amp;status=offen" in html
    assert reverse("reports:new") in html
    assert reverse("reports:alert-subscribe") in html
    assert "Listenansicht" in html


def test_thumbnail_with_alt_text_only_for_ready_visible_photos(client, make_report):
    from stadtdigital.reports.models import Photo, PhotoStatus

    report = make_report()
    hidden = Photo.objects.create(report=report, status=PhotoStatus.READY, hidden=True, thumbnail="x/h.jpg")
    pending = Photo.objects.create(report=report, status=PhotoStatus.PENDING, upload="x/raw.jpg")
    html = client.get(reverse("reports:list")).content.decode()
    assert f"/fotos/{hidden.pk}/" not in html and f"/fotos/{pending.pk}/" not in html
    ready = Photo.objects.create(
        report=report, status=PhotoStatus.READY, thumbnail="x/t.jpg", image="x/i.jpg"
    )
    html = client.get(reverse("reports:list")).content.decode()
    assert reverse("reports:photo-thumbnail", kwargs={"pk": report.pk, "photo_pk": ready.pk}) in html
    assert 'alt="Foto zur Meldung: Straßenschäden und Schlaglöcher"' in html


@pytest.mark.parametrize("params", [{"bis": "9999-12-31"}, {"von": "0001-01-01"}])
def test_dates_at_the_calendar_ends_are_refused_everywhere(client, make_report, params):
    make_report()
    response = client.get(reverse("reports:list"), params)
    assert response.status_code == 200
    assert "Bitte ein Datum zwischen dem 01.01.1900 und dem 31.12.2999 angeben." in response.content.decode()
    assert client.get(reverse("reports:feed"), params).status_code == 400
    response = client.get(reverse("reports:map-data"), {**params, "bbox": "49.1,9.1,49.2,9.3", "zoom": "12"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == list(params)


def test_skip_link_to_the_results_and_no_map_text_without_javascript(client, make_report):
    make_report(description="Ampel ausgefallen")
    html = client.get(reverse("reports:list")).content.decode()
    assert '<a class="skip-results" href="#liste">Zu den Ergebnissen</a>' in html
    assert 'id="liste"' in html and html.index("skip-results") < html.index("report-filters")
    # The map section (heading "Karte", notes about the map) stays hidden until the map script shows it.
    section = html[html.index('<section class="map-section"') :]
    assert section.split(">", 1)[0].endswith("hidden") and "Karte braucht JavaScript" not in html
