"""/anliegen/<id>/: state explained, public history, photos, name only when chosen; 404 unless public."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stadtdigital.reports.models import EventKind, Photo, PhotoStatus, State, Visibility
from stadtdigital.reports.services.history import record_event

pytestmark = pytest.mark.django_db


def detail(client, report):
    return client.get(reverse("reports:detail", kwargs={"pk": report.pk}))


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING_CONFIRMATION])
def test_hidden_and_unconfirmed_reports_are_404(client, make_report, visibility):
    assert detail(client, make_report(visibility=visibility)).status_code == 404


def test_fixed_and_closed_not_fixed_are_explained_differently(client, make_report):
    fixed = detail(client, make_report(state=State.FIXED)).content.decode()
    not_fixed = detail(client, make_report(state=State.CLOSED_NOT_FIXED)).content.decode()
    assert "Der Mangel wurde behoben." in fixed
    assert "der Mangel aber nicht behoben" in not_fixed
    assert "Der Mangel wurde behoben." not in not_fixed
    assert "state-fixed" in fixed and "state-not-fixed" in not_fixed


def test_public_history_and_answers_never_internal_notes(client, make_report):
    report = make_report(address="Marktplatz 1")
    record_event(
        report,
        EventKind.STATE,
        from_state=State.RECEIVED,
        to_state=State.IN_PROGRESS,
        public_text="Der Bauhof ist beauftragt.",
        internal_note="INTERN: Kollege Maier fragen",
    )
    record_event(report, EventKind.NOTE, internal_note="INTERN-NOTIZ-geheim")
    record_event(report, EventKind.ANSWER, public_text="Danke für den Hinweis!")
    html = detail(client, report).content.decode()
    assert "Der Bauhof ist beauftragt." in html
    assert "Danke für den Hinweis!" in html
    assert "Status von „eingegangen“ zu „in Bearbeitung“" in html
    assert "INTERN" not in html
    assert "Marktplatz 1" in html and "Koordinaten: 49.14200 N, 9.21000 O" in html


def test_name_only_when_show_name_and_not_purged(client, make_report):
    shown = make_report(reporter_name="Renate Sichtbar", show_name=True, reporter_email="renate@example.org")
    hidden = make_report(reporter_name="Otto Unsichtbar", show_name=False)
    purged = make_report(
        reporter_name="Paula Gelöscht", show_name=True, personal_data_purged_at=timezone.now()
    )
    shown_html = detail(client, shown).content.decode()
    assert "Renate Sichtbar" in shown_html and "renate@example.org" not in shown_html
    assert "Otto Unsichtbar" not in detail(client, hidden).content.decode()
    assert "Paula Gelöscht" not in detail(client, purged).content.decode()


def test_duplicate_links_to_original(client, make_report):
    original = make_report(address="Hauptstraße 5")
    duplicate = make_report(state=State.DUPLICATE, duplicate_of=original)
    html = detail(client, duplicate).content.decode()
    assert reverse("reports:detail", kwargs={"pk": original.pk}) in html
    hidden_original = make_report(visibility=Visibility.HIDDEN)
    other = make_report(state=State.DUPLICATE, duplicate_of=hidden_original)
    assert (
        reverse("reports:detail", kwargs={"pk": hidden_original.pk})
        not in detail(client, other).content.decode()
    )


def test_only_ready_visible_photos_are_shown(client, make_report):
    report = make_report()
    ready = Photo.objects.create(
        report=report, status=PhotoStatus.READY, image="r/a.jpg", thumbnail="r/a_t.jpg"
    )
    hidden = Photo.objects.create(report=report, status=PhotoStatus.READY, hidden=True, image="r/b.jpg")
    failed = Photo.objects.create(report=report, status=PhotoStatus.FAILED, upload="r/c.jpg")
    html = detail(client, report).content.decode()
    assert reverse("reports:photo", kwargs={"pk": report.pk, "photo_pk": ready.pk}) in html
    assert f"/fotos/{hidden.pk}/" not in html and f"/fotos/{failed.pk}/" not in html


def test_supporters_and_list_link(client, make_report):
    html = detail(client, make_report(supporters_count=3)).content.decode()
    assert "3 Personen sind auch betroffen" in html
    assert reverse("reports:list") in html
