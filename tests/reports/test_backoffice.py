"""The back office views: queue (tabs, filters, quick search, query count), the report page and its actions,
department boundaries (403 for everything outside one's department, nothing changes), templates, dashboard."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stadtdigital.core import roles
from stadtdigital.reports.models import (
    AnswerTemplate,
    Event,
    EventKind,
    Photo,
    PhotoStatus,
    Report,
    State,
    Visibility,
)
from tests.conftest import make_user

from .test_workflow import snapshot


@pytest.fixture
def other_user(other_department):
    return make_user("fachbereich-y", roles.DEPARTMENT_STAFF, [other_department])


@pytest.fixture
def x_client(client, department_user):
    client.force_login(department_user)
    return client


def url(name, report=None, **kwargs):
    if report is not None:
        kwargs["pk"] = report.pk
    return reverse(f"reports:{name}", kwargs=kwargs or None)


ACTIONS = [
    ("backoffice-state", {"state": State.IN_PROGRESS, "public_text": "x"}),
    ("backoffice-answer", {"text": "Antwort"}),
    ("backoffice-note", {"text": "Notiz"}),
    ("backoffice-assign", {"assignee": "me"}),
    ("backoffice-category", {"category": "OTHER"}),
    ("backoffice-location", {"lat": "49.15", "lon": "9.2", "address": "Markt"}),
    ("backoffice-triage", {}),
    ("backoffice-moderate", {"action": "edit_description", "description": "neu", "reason": "r"}),
    ("backoffice-moderate", {"action": "hide_report", "reason": "Spam"}),
    ("backoffice-moderate", {"action": "hide_photo", "photo": "PHOTO"}),
]


def test_department_y_gets_403_everywhere_and_nothing_changes(
    client, other_user, make_report, other_category
):
    report = make_report(needs_triage=True, reporter_email="anna@example.org")
    photo = Photo.objects.create(report=report, status=PhotoStatus.READY)
    before = snapshot(report)
    client.force_login(other_user)
    assert client.get(url("backoffice-report", report)).status_code == 403
    for name, data in ACTIONS:
        data = {
            k: (other_category.pk if v == "OTHER" else photo.pk if v == "PHOTO" else v)
            for k, v in data.items()
        }
        response = client.post(url(name, report), data)
        assert response.status_code == 403, name
    assert snapshot(report) == before
    assert not Photo.objects.get(pk=photo.pk).hidden
    queue = client.get(url("backoffice-queue"), {"ansicht": "alle"})
    assert report.pk not in [r.pk for r in queue.context["page"].object_list]
    # Quick search for the number does not reveal it either.
    response = client.get(url("backoffice-queue"), {"q": f"#{report.pk}"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 0


def test_department_x_works_on_its_report(x_client, department_user, make_report):
    report = make_report(reporter_email="anna@example.org")
    page = x_client.get(url("backoffice-report", report))
    assert page.status_code == 200
    assert "anna@example.org" in page.content.decode()  # staff see the contact
    response = x_client.post(
        url("backoffice-state", report),
        {"state": State.IN_PROGRESS, "public_text": "Wir sind dran.", "internal_note": "Bauhof informiert"},
    )
    assert response.status_code == 302 and response.url == url("backoffice-report", report)
    report.refresh_from_db()
    assert report.state == State.IN_PROGRESS
    event = report.events.get(kind=EventKind.STATE)
    assert event.actor == department_user and event.internal_note == "Bauhof informiert"
    page = x_client.get(response.url)
    assert "Status „in Bearbeitung“ gespeichert." in page.content.decode()

    x_client.post(url("backoffice-note", report), {"text": "Rückruf vereinbart"})
    x_client.post(url("backoffice-answer", report), {"text": "Öffentliche Antwort"})
    x_client.post(url("backoffice-assign", report), {"assignee": "me"})
    report.refresh_from_db()
    assert report.assigned_to == department_user
    kinds = list(report.events.values_list("kind", "is_public"))
    assert (EventKind.NOTE, False) in kinds and (EventKind.ANSWER, True) in kinds


def test_invalid_state_change_shows_errors_and_changes_nothing(x_client, make_report):
    report = make_report()
    before = snapshot(report)
    response = x_client.post(url("backoffice-state", report), {"state": State.REJECTED, "reason": ""})
    assert response.status_code == 400
    assert "Begründung" in response.content.decode()
    assert snapshot(report) == before


def test_template_picker_and_preview_change_nothing(x_client, make_report, category):
    report = make_report()
    template = AnswerTemplate.objects.create(
        title="Erledigt", text="Das Schlagloch wurde verfüllt.", state=State.FIXED, category=category
    )
    before = snapshot(report)
    response = x_client.post(
        url("backoffice-state", report), {"state": State.FIXED, "template": template.pk, "use_template": "1"}
    )
    assert response.status_code == 200
    assert response.context["state_form"]["public_text"].value() == "Das Schlagloch wurde verfüllt."
    response = x_client.post(
        url("backoffice-state", report),
        {"state": State.REJECTED, "reason": "Kein Schaden", "public_text": "Danke!", "preview": "1"},
    )
    assert response.context["preview"] == {"state_label": "abgelehnt", "text": "Kein Schaden\n\nDanke!"}
    assert snapshot(report) == before


def test_read_only_sees_without_contact_and_cannot_change(client, make_report):
    report = make_report(reporter_email="anna@example.org")
    reader = make_user("lesend", roles.READ_ONLY)
    client.force_login(reader)
    page = client.get(url("backoffice-report", report))
    assert page.status_code == 200
    assert "anna@example.org" not in page.content.decode()
    assert client.post(url("backoffice-note", report), {"text": "x"}).status_code == 403
    assert not report.events.filter(kind=EventKind.NOTE).exists()


def test_leitstelle_sees_and_changes_all(client, make_report, other_category):
    report = make_report(category=other_category)
    client.force_login(make_user("leitstelle", roles.LEITSTELLE))
    assert report.pk in [r.pk for r in client.get(url("backoffice-queue")).context["page"].object_list]
    client.post(url("backoffice-state", report), {"state": State.IN_REVIEW})
    assert Report.objects.get(pk=report.pk).state == State.IN_REVIEW


def test_change_category_moves_report_to_other_department(x_client, make_report, other_category):
    report = make_report()
    response = x_client.post(url("backoffice-category", report), {"category": other_category.pk})
    assert response.status_code == 302 and response.url == url("backoffice-queue")
    report.refresh_from_db()
    assert report.department == other_category.department
    assert x_client.get(url("backoffice-report", report)).status_code == 403


def test_location_outside_city_is_rejected(x_client, make_report):
    report = make_report()
    response = x_client.post(
        url("backoffice-location", report), {"lat": "52.5", "lon": "13.4", "address": "Berlin"}
    )
    assert response.status_code == 400
    assert "außerhalb des Stadtgebiets" in response.content.decode()
    assert Report.objects.get(pk=report.pk).lat == 49.142


def test_queue_tabs_filters_and_overdue(x_client, department_user, make_report):
    now = timezone.now()
    overdue = make_report(description="alt und überfällig", due_at=now - datetime.timedelta(days=3))
    mine = make_report(
        description="meins", assigned_to=department_user, due_at=now + datetime.timedelta(days=5)
    )
    triage = make_report(description="prüfen", needs_triage=True)
    reopened = make_report(description="wieder da", state=State.REOPENED)
    working = make_report(
        description="in Arbeit", state=State.IN_PROGRESS, created_at=now - datetime.timedelta(days=9)
    )
    closed = make_report(description="fertig", state=State.FIXED, closed_at=now)
    pending = make_report(description="unbestätigt", visibility=Visibility.PENDING_CONFIRMATION)

    response = x_client.get(url("backoffice-queue"))
    ids = [r.pk for r in response.context["page"].object_list]
    assert set(ids) == {overdue.pk, mine.pk, triage.pk, reopened.pk, working.pk}
    # What needs a decision comes first (by target date), the accepted report after it, although older.
    assert ids[0] == overdue.pk and ids[-1] == working.pk
    counts = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert counts == {
        "neu": 4,
        "meine": 1,
        "fachbereich": 5,
        "eingang": 3,  # not yet accepted: new ones and the one in the triage
        "ueberfaellig": 1,
        "wieder": 1,
        "alle": None,
    }
    html = response.content.decode()
    assert 'class="is-overdue"' in html and "3 Tage überfällig" in html

    def ids_for(**params):
        return {r.pk for r in x_client.get(url("backoffice-queue"), params).context["page"].object_list}

    assert ids_for(ansicht="neu") == {overdue.pk, mine.pk, triage.pk, reopened.pk}
    assert ids_for(ansicht="meine") == {mine.pk}
    assert ids_for(ansicht="eingang") == {overdue.pk, mine.pk, triage.pk}
    assert ids_for(ansicht="ueberfaellig") == {overdue.pk}
    assert ids_for(ansicht="wieder") == {reopened.pk}
    assert closed.pk in ids_for(ansicht="alle") and pending.pk not in ids_for(ansicht="alle")
    assert ids_for(q="meins") == {mine.pk}
    assert ids_for(zugewiesen="niemand") == {overdue.pk, triage.pk, reopened.pk, working.pk}
    assert ids_for(status=State.REOPENED) == {reopened.pk}
    assert ids_for(sortierung="faellig", ansicht="fachbereich") == {
        overdue.pk,
        mine.pk,
        triage.pk,
        reopened.pk,
        working.pk,
    }
    oldest_first = [
        r.pk for r in x_client.get(url("backoffice-queue"), {"sortierung": "alt"}).context["page"]
    ]
    assert oldest_first[0] == working.pk
    # Quick search by number opens the report, even one waiting for confirmation.
    response = x_client.get(url("backoffice-queue"), {"q": f"#{pending.pk}"})
    assert response.status_code == 302 and response.url == url("backoffice-report", pending)


def test_queue_with_200_reports_has_bounded_queries(
    x_client, department_user, make_report, django_assert_max_num_queries
):
    from stadtdigital.reports.models import Report as R

    base = make_report(assigned_to=department_user)
    # The queue's queries must not grow with the number of reports: count them with one report first.
    x_client.get(url("backoffice-queue"), {"sortierung": "unterstuetzt"})  # session written, caches warm
    with CaptureQueriesContext(connection) as with_one_report:
        x_client.get(url("backoffice-queue"), {"sortierung": "unterstuetzt"})
    R.objects.bulk_create(
        [
            R(
                category=base.category,
                department=base.department,
                description=f"Meldung {i}",
                lat=49.14,
                lon=9.21,
                created_at=base.created_at - datetime.timedelta(hours=i),
                updated_at=base.created_at,
                due_at=base.created_at,
                assigned_to=department_user if i % 2 else None,
            )
            for i in range(199)
        ]
    )
    # 12 for the queue itself, 2 for the staff member's two-factor devices (decision 0019).
    with django_assert_max_num_queries(14) as with_200_reports:
        response = x_client.get(url("backoffice-queue"), {"sortierung": "unterstuetzt"})
    assert len(with_200_reports) == len(with_one_report)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 200
    assert len(response.context["page"].object_list) == 50


def test_moderation_actions_via_post(x_client, make_report):
    report = make_report(description="Ruft mich an: 0151 2345678")
    photo = Photo.objects.create(report=report, status=PhotoStatus.READY)
    x_client.post(
        url("backoffice-moderate", report),
        {"action": "edit_description", "description": "Ruft mich an.", "reason": "Telefonnummer entfernt"},
    )
    x_client.post(url("backoffice-moderate", report), {"action": "hide_photo", "photo": photo.pk})
    x_client.post(url("backoffice-moderate", report), {"action": "hide_report", "reason": "beleidigend"})
    report.refresh_from_db()
    assert report.description == "Ruft mich an." and report.visibility == Visibility.HIDDEN
    assert Photo.objects.get(pk=photo.pk).hidden
    page = x_client.get(url("backoffice-report", report)).content.decode()
    assert "0151 2345678" in page  # the original, for staff, in the history
    assert "verborgen" in page
    x_client.post(url("backoffice-moderate", report), {"action": "unhide_report"})
    assert Report.objects.get(pk=report.pk).visibility == Visibility.PUBLIC


def test_get_on_actions_is_not_allowed(x_client, make_report):
    report = make_report()
    assert x_client.get(url("backoffice-state", report)).status_code == 405


def test_anonymous_is_sent_to_login(client, make_report):
    report = make_report()
    response = client.get(url("backoffice-report", report))
    assert response.status_code == 302 and "/anmelden/" in response.url


# --- answer templates -------------------------------------------------------------------------------------


def test_templates_permissions(
    client, department_user, other_user, category, other_category, digital_office_user
):
    own = AnswerTemplate.objects.create(title="Eigen", text="t", category=category)
    foreign = AnswerTemplate.objects.create(title="Fremd", text="t", category=other_category)
    common = AnswerTemplate.objects.create(title="Global", text="t")
    client.force_login(department_user)
    listing = client.get(url("backoffice-templates"))
    titles = [t.title for t in listing.context["templates"]]
    assert "Eigen" in titles and "Global" in titles and "Fremd" not in titles
    assert client.get(url("backoffice-template-edit", own)).status_code == 200
    assert client.get(url("backoffice-template-edit", common)).status_code == 403
    assert client.post(url("backoffice-template-delete", foreign)).status_code == 403
    # Department staff must choose one of their own categories.
    response = client.post(
        url("backoffice-template-create"), {"title": "Neu", "text": "x", "category": other_category.pk}
    )
    assert response.status_code == 200 and not AnswerTemplate.objects.filter(title="Neu").exists()
    response = client.post(
        url("backoffice-template-create"),
        {"title": "Neu", "text": "x", "state": State.FIXED, "category": category.pk},
    )
    assert response.status_code == 302 and AnswerTemplate.objects.filter(title="Neu").exists()
    assert client.post(url("backoffice-template-delete", own)).status_code == 302
    assert not AnswerTemplate.objects.filter(pk=own.pk).exists()

    client.force_login(digital_office_user)
    response = client.post(url("backoffice-template-edit", common), {"title": "Global 2", "text": "neu"})
    assert response.status_code == 302 and AnswerTemplate.objects.get(pk=common.pk).title == "Global 2"


def test_template_picker_offers_category_and_global_templates(
    x_client, make_report, category, other_category
):
    AnswerTemplate.objects.create(title="Passt", text="t", category=category, state=State.FIXED)
    AnswerTemplate.objects.create(title="Global", text="t")
    AnswerTemplate.objects.create(title="Andere Kategorie", text="t", category=other_category)
    report = make_report()
    form = x_client.get(url("backoffice-report", report)).context["state_form"]
    assert sorted(t.title for t in form.fields["template"].queryset) == ["Global", "Passt"]


# --- dashboard --------------------------------------------------------------------------------------------


def test_dashboard_for_department_and_selector_for_leitstelle(
    client, department_user, make_report, other_category
):
    make_report()
    make_report(category=other_category)
    client.force_login(department_user)
    response = client.get(url("backoffice-dashboard"))
    assert response.status_code == 200 and response.context["figures"].open == 1
    client.force_login(make_user("leitstelle", roles.LEITSTELLE))
    assert client.get(url("backoffice-dashboard")).context["figures"].open == 2
    response = client.get(url("backoffice-dashboard"), {"fachbereich": other_category.department_id})
    assert response.context["figures"].open == 1


def test_backoffice_card_is_shown(x_client):
    html = x_client.get(reverse("core:backoffice")).content.decode()
    assert url("backoffice-queue") in html and url("backoffice-dashboard") in html


def test_history_shows_internal_notes_to_staff(x_client, department_user, make_report):
    report = make_report()
    Event.objects.create(
        report=report,
        created_at=timezone.now(),
        kind=EventKind.NOTE,
        internal_note="Nur für uns",
        actor=department_user,
    )
    assert "Nur für uns" in x_client.get(url("backoffice-report", report)).content.decode()


def test_staff_see_hidden_photo_outsiders_do_not(client, x_client, other_user, make_report):
    from django.core.files.base import ContentFile

    report = make_report()
    photo = Photo.objects.create(report=report, status=PhotoStatus.READY, hidden=True)
    photo.thumbnail.save("t.jpg", ContentFile(b"\xff\xd8thumb"), save=True)
    photo.image.save("i.jpg", ContentFile(b"\xff\xd8image"), save=True)
    thumb = url("backoffice-photo-thumbnail", report, photo_pk=photo.pk)
    response = x_client.get(thumb)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\xff\xd8thumb"
    assert "verborgen" in x_client.get(url("backoffice-report", report)).content.decode()
    client.force_login(other_user)
    assert client.get(thumb).status_code == 403


@pytest.mark.parametrize("photo_id", ["", "abc", "1.5", "²", "99999999999999999999999", "OTHER"])
def test_moderating_a_photo_that_is_not_the_reports_is_400(x_client, make_report, photo_id):
    report, other = make_report(), make_report()
    photo = Photo.objects.create(report=report, status=PhotoStatus.READY)
    foreign = Photo.objects.create(report=other, status=PhotoStatus.READY)
    photo_id = str(foreign.pk) if photo_id == "OTHER" else photo_id
    response = x_client.post(url("backoffice-moderate", report), {"action": "hide_photo", "photo": photo_id})
    assert response.status_code == 400
    assert "Dieses Foto gehört nicht zu diesem Anliegen." in response.content.decode()
    assert not Photo.objects.filter(hidden=True).exists()
    assert Photo.objects.get(pk=photo.pk).hidden is False


def test_hiding_with_an_invalid_reason_is_400_and_hides_nothing(x_client, make_report):
    report = make_report()
    photo = Photo.objects.create(report=report, status=PhotoStatus.READY)
    before = snapshot(report)
    for action, extra in (("hide_report", {}), ("hide_photo", {"photo": photo.pk})):
        response = x_client.post(
            url("backoffice-moderate", report), {"action": action, "reason": "x" * 301, **extra}
        )
        assert response.status_code == 400
    assert snapshot(report) == before
    assert Report.objects.get(pk=report.pk).visibility == Visibility.PUBLIC
    assert Photo.objects.get(pk=photo.pk).hidden is False
