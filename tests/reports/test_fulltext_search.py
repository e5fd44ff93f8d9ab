"""Full-text search of reports' public text with German stems (decision 0025), on SQLite and PostgreSQL:
inflections match, internal notes and moderated originals never do, and the index follows every write
(intake, edits, moving, moderation, purges, deletion)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stadtdigital.core import fulltext
from stadtdigital.core.fulltext import FullTextMatch
from stadtdigital.reports import search_index
from stadtdigital.reports.models import Report, State, Visibility
from stadtdigital.reports.services import moderation, workflow
from stadtdigital.reports.services.confirmation import confirm_report
from stadtdigital.reports.services.intake import ReportInput, submit_report
from stadtdigital.reports.services.privacy import purge_personal_data

pytestmark = pytest.mark.django_db


def found(text: str) -> set[int]:
    return set(Report.objects.filter(search_index.matching(text)).values_list("pk", flat=True))


def listed(client, q: str) -> list[int]:
    response = client.get(reverse("reports:list"), {"q": q, "status": "alle"})
    assert response.status_code == 200
    return [report.pk for report in response.context["page"].object_list]


def open311_ids(client, q: str) -> list[int]:
    response = client.get("/open311/v2/requests.json", {"q": q})
    assert response.status_code == 200
    return [int(row["service_request_id"]) for row in response.json()]


def test_german_inflections_find_each_other(client, make_report):
    pothole = make_report(description="Tiefes Schlagloch vor Hausnummer 12")
    lamps = make_report(description="Zwei Laternen flackert", address="Bahnhofstraße 3")
    make_report(description="Müll am Spielplatz")
    assert found("Schlaglöcher") == {pothole.pk}
    assert found("schlagloch") == {pothole.pk}
    assert found("Laterne") == {lamps.pk}
    assert found("flackern") == {lamps.pk}
    # Every word must match; a word's beginning matches longer words (addresses: "Bahnhof").
    assert found("Bahnhof Laterne") == {lamps.pk}
    assert found("Bahnhofstrasse") == {lamps.pk}
    assert found("Laterne Schlagloch") == set()
    # The same search behind the public list's search box and Open311 `q`.
    assert listed(client, "Schlaglöcher") == [pothole.pk]
    assert open311_ids(client, "Schlaglöcher") == [pothole.pk]


def test_plural_and_singular_find_each_other_both_ways(client, make_report):
    singular = make_report(description="Laterne defekt")
    plural = make_report(description="Mehrere Schlaglöcher auf dem Radweg")
    assert found("Laternen") == {singular.pk}
    assert found("Schlagloch") == {plural.pk}
    assert listed(client, "Laternen") == [singular.pk]
    assert open311_ids(client, "Schlagloch") == [plural.pk]


@pytest.mark.parametrize("max_terms", [fulltext.MAX_PREFIX_TERMS, 2])
def test_a_word_finds_the_longer_words_it_begins(make_report, monkeypatch, max_terms):
    """SQLite names the index's terms that begin with a word, or keeps the prefix query when there are
    more than MAX_PREFIX_TERMS of them: the same reports either way."""
    monkeypatch.setattr(fulltext, "MAX_PREFIX_TERMS", max_terms)
    station = make_report(description="Müll", address="Bahnhofstraße 3")
    platform = make_report(description="Bahnsteig verschmutzt")
    crossing = make_report(description="Bahnübergang: Schranke defekt")
    make_report(description="Autobahn laut")  # contains "bahn", but does not begin with it
    assert found("Bahn") == {station.pk, platform.pk, crossing.pk}
    assert found("bahn schranke") == {crossing.pk}
    assert found("Bahnhöfe") == {station.pk}
    assert found("Bahnsteigkante") == set()
    cafés = make_report(description="Stühle vor den Cafés")
    assert found("Café") == {cafés.pk}  # FTS5 stores "cafes": the look-up folds "é" as it does


def test_search_reads_only_public_text_never_internal_notes(client, make_report, department_user):
    report = make_report(description="Ampel ausgefallen")
    workflow.add_note(report, "Rückruf bei Frau Geheimnis wegen Zebrastreifen", department_user)
    workflow.answer(report, "Wir kümmern uns", department_user, notify=False)
    assert found("Zebrastreifen") == set()
    assert found("Geheimnis") == set()
    assert found("Ampel") == {report.pk}
    assert open311_ids(client, "Zebrastreifen") == []


def test_hidden_and_unconfirmed_reports_are_not_listed(client, make_report):
    make_report(description="Schlagloch versteckt", visibility=Visibility.HIDDEN)
    make_report(description="Schlagloch unbestätigt", visibility=Visibility.PENDING_CONFIRMATION)
    public = make_report(description="Schlagloch öffentlich")
    assert listed(client, "Schlaglöcher") == [public.pk]
    assert open311_ids(client, "Schlaglöcher") == [public.pk]


def test_hidden_reports_leave_the_search_and_come_back_when_shown(client, make_report, department_user):
    report = make_report(description="Laterne umgefahren")
    assert listed(client, "Laternen") == [report.pk]
    moderation.hide_report(report, department_user, reason="Beleidigung")
    assert listed(client, "Laternen") == [] and open311_ids(client, "Laternen") == []
    moderation.edit_description(report, "Laterne umgefahren, Mast liegt", by=department_user, reason="Text")
    assert listed(client, "Mast") == []  # edits of a hidden report stay out of the public search
    moderation.unhide_report(report, department_user, reason="geprüft")
    assert listed(client, "Laternen Mast") == [report.pk]
    assert open311_ids(client, "Laternen Mast") == [report.pk]


def test_unconfirmed_report_is_found_once_confirmed(client, make_report):
    report = make_report(
        description="Sperrmüll am Wertstoffhof",
        visibility=Visibility.PENDING_CONFIRMATION,
        reporter_email="anna@example.org",
        created_at=timezone.now(),
    )
    assert listed(client, "Sperrmüll") == [] and open311_ids(client, "Sperrmüll") == []
    assert confirm_report(report.confirmation_token).report.pk == report.pk
    assert listed(client, "Sperrmüll") == [report.pk]
    assert open311_ids(client, "Sperrmüll") == [report.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite index holds public reports only")
def test_sqlite_index_holds_public_reports_only(make_report, department_user):
    public = make_report(description="Glasscherben auf dem Gehweg")
    make_report(description="Glasscherben im Sandkasten", visibility=Visibility.HIDDEN)
    assert found("Glasscherben") == {public.pk}  # even without a visibility filter
    moderation.hide_report(public, department_user, reason="Test")
    assert found("Glasscherben") == set()


@pytest.mark.parametrize("frequent", [True, False])
def test_list_and_open311_q_agree_for_frequent_and_rare_words(client, make_report, monkeypatch, frequent):
    """Both give the public hits newest first. SQLite reads frequent words along the order index and rare
    ones hit by hit (FullTextMatch): both plans must give the same pages and counts."""
    monkeypatch.setattr(FullTextMatch, "SQLITE_FREQUENT", 0 if frequent else 10**9)
    now = timezone.now()
    expected = [
        make_report(description=f"Papierkorb {n} voll", created_at=now - datetime.timedelta(minutes=n)).pk
        for n in range(1, 31)
    ]
    make_report(description="Papierkorb versteckt", visibility=Visibility.HIDDEN)
    make_report(description="Graffiti")
    response = client.get(reverse("reports:list"), {"q": "Papierkörbe", "status": "alle"})
    assert [report.pk for report in response.context["page"].object_list] == expected[:25]
    assert response.context["page"].paginator.count == 30
    response = client.get(reverse("reports:list"), {"q": "Papierkörbe", "status": "alle", "seite": "2"})
    assert [report.pk for report in response.context["page"].object_list] == expected[25:]
    assert open311_ids(client, "Papierkörbe") == expected


@pytest.mark.parametrize("first_from_index", [True, False])
def test_pages_are_newest_first_also_within_one_second(client, make_report, monkeypatch, first_from_index):
    """SQLite's index orders hits by the second of created_at, then id; the page takes every hit of the
    boundary second and orders them itself. Ids here run against the time within each second."""
    if not first_from_index:
        monkeypatch.setattr(FullTextMatch, "SQLITE_MAX_FIRST", 0)
    base = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    reports = [
        make_report(
            description=f"Laterne {n} dunkel",
            created_at=base - datetime.timedelta(seconds=n // 7, microseconds=-(n % 7) * 1000),
        )
        for n in range(40)
    ]
    make_report(description="Laterne versteckt", visibility=Visibility.HIDDEN, created_at=base)
    expected = [r.pk for r in sorted(reports, key=lambda r: (r.created_at, r.pk), reverse=True)]
    with CaptureQueriesContext(connection) as queries:
        first = listed(client, "Laternen")
    read_by_index = any("ORDER BY rowid DESC LIMIT 1 OFFSET" in query["sql"] for query in queries)
    assert read_by_index == (first_from_index and connection.vendor == "sqlite")
    assert first == expected[:25]
    response = client.get(reverse("reports:list"), {"q": "Laternen", "status": "alle", "seite": "2"})
    assert [report.pk for report in response.context["page"].object_list] == expected[25:]
    assert response.context["page"].paginator.count == 40
    assert open311_ids(client, "Laternen") == expected
    # Narrowed by something the index does not hold: the general plans, the same order.
    response = client.get(reverse("reports:list"), {"q": "Laternen", "status": "offen"})
    assert [report.pk for report in response.context["page"].object_list] == expected[:25]


def test_new_reports_through_intake_are_found(category):
    result = submit_report(
        ReportInput(category=category.code, lat=49.142, lon=9.21, description="Gehwegplatten lose"),
        client_ip="203.0.113.9",
    )
    assert found("Gehwegplatte") == {result.report.pk}


def test_moderated_description_replaces_the_old_words(make_report, department_user):
    report = make_report(description="Sperrmüll bei Familie Mustermann")
    moderation.edit_description(report, "Sperrmüll am Straßenrand", by=department_user, reason="Name")
    assert found("Mustermann") == set()  # the original stays for staff in the history, not in the index
    assert found("Straßenränder") == {report.pk}


def test_moved_report_is_found_by_its_new_address(make_report, department_user):
    report = make_report(description="Baum umgestürzt", address="Lindenweg 4")
    workflow.move_location(report, 49.143, 9.211, "Kastanienallee 7", by=department_user)
    assert found("Lindenweg") == set()
    assert found("Kastanienalleen") == {report.pk}


def test_search_survives_purges_and_forgets_deleted_reports(make_report):
    closed_long_ago = make_report(
        description="Graffiti an der Brücke",
        state=State.FIXED,
        closed_at=timezone.now() - datetime.timedelta(days=400),
        reporter_name="Erika Beispiel",
        reporter_email="erika@example.org",
    )
    other = make_report(description="Graffiti am Bahnhof")
    assert purge_personal_data(days=30) == 1
    assert found("graffiti") == {closed_long_ago.pk, other.pk}
    assert found("Erika") == set()  # personal data was never indexed
    other.delete()
    assert found("Graffiti") == {closed_long_ago.pk}
    Report.objects.filter(pk=closed_long_ago.pk).update(description="Brücke gereinigt")
    assert found("Graffiti") == set() and found("gereinigt") == {closed_long_ago.pk}


def test_words_without_letters_do_not_filter(client, make_report):
    report = make_report(description="Schlagloch")
    assert listed(client, " -- ") == [report.pk]
    assert found('"Schlagloch*" (') == {report.pk}  # query syntax is not passed through


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps the index with triggers")
def test_sqlite_index_is_rebuilt_when_a_table_rebuild_dropped_its_triggers(make_report):
    report = make_report(description="Schlagloch")
    with connection.cursor() as cursor:
        for name in search_index.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute("DELETE FROM reports_report_search")
    missed = make_report(description="Laterne")  # written while the triggers were missing
    assert found("Schlagloch") == set()
    assert search_index.ensure_search_index() is True
    assert found("Schlagloch") == {report.pk} and found("Laterne") == {missed.pk}
    assert search_index.ensure_search_index() is False


def test_an_underscore_separates_words_as_the_index_does(client, make_report):
    # "_" is a word character for Python's \w but a separator for FTS5: "Laterne_defekt" used to become a
    # phrase query, which the index without positions refused (503 on the public list).
    from stadtdigital.core.fulltext import query_stems

    assert query_stems("Laterne_defekt") == query_stems("Laterne defekt")
    lamp = make_report(description="Laterne defekt am Markt")
    make_report(description="Müll am Spielplatz")
    assert found("Laterne_defekt") == {lamp.pk}
    assert listed(client, "Laterne_defekt") == [lamp.pk]
    assert open311_ids(client, "Laterne_defekt") == [lamp.pk]
