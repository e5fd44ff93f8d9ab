"""Moderation: the original text stays for staff; the public sees only the new text; all logged."""

import pytest
from django.urls import NoReverseMatch, reverse

from stadtdigital.core import roles
from stadtdigital.reports.models import EventKind, Photo, PhotoStatus, Report, Visibility
from stadtdigital.reports.services import moderation, workflow
from tests.conftest import make_user

ORIGINAL = "Schlagloch vor meinem Haus, ruft mich an: 0151 2345678, Max Mustermann"
NEW = "Schlagloch vor dem Haus."


def public_texts(report):
    """What any public page may show of the report: its description and its public history."""
    report = Report.objects.get(pk=report.pk)
    return [report.description, *report.events.filter(is_public=True).values_list("public_text", flat=True)]


def test_edit_description_keeps_original_for_staff_only(make_report, department_user):
    report = make_report(description=ORIGINAL)
    event = moderation.edit_description(report, NEW, department_user, "Telefonnummer und Name entfernt")
    assert event.kind == EventKind.MODERATION and event.actor == department_user
    assert event.data["original"] == ORIGINAL and event.internal_note == "Telefonnummer und Name entfernt"
    assert Report.objects.get(pk=report.pk).description == NEW
    for text in public_texts(report):
        assert "0151" not in text and "Mustermann" not in text
    assert moderation.edit_description(report, NEW, department_user) is None  # unchanged text: no event


def test_public_detail_page_shows_only_new_text(client, make_report, department_user):
    report = make_report(description=ORIGINAL)
    moderation.edit_description(report, NEW, department_user, "PII")
    try:
        path = reverse("reports:detail", kwargs={"pk": report.pk})
    except NoReverseMatch:  # pragma: no cover
        pytest.skip("public detail page not there")
    response = client.get(path)
    if response.status_code == 404:
        pytest.skip("public detail page not built yet (stub)")
    html = response.content.decode()
    assert "0151 2345678" not in html and "Mustermann" not in html


def test_hide_and_unhide_photo_and_report(make_report, department_user):
    report = make_report()
    photo = Photo.objects.create(report=report, status=PhotoStatus.READY)
    moderation.hide_photo(photo, department_user, "Kennzeichen sichtbar")
    assert Photo.objects.get(pk=photo.pk).hidden
    moderation.unhide_photo(photo, department_user)
    assert not Photo.objects.get(pk=photo.pk).hidden

    with pytest.raises(workflow.WorkflowError):
        moderation.hide_report(report, department_user, "")
    moderation.hide_report(report, department_user, "beleidigend")
    assert Report.objects.get(pk=report.pk).visibility == Visibility.HIDDEN
    moderation.unhide_report(report, department_user)
    assert Report.objects.get(pk=report.pk).visibility == Visibility.PUBLIC
    actions = list(report.events.filter(kind=EventKind.MODERATION).values_list("data__action", "is_public"))
    assert actions == [
        ("hide_photo", False),
        ("unhide_photo", False),
        ("hide_report", False),
        ("unhide_report", False),
    ]


def test_unhide_restores_pending_confirmation(make_report, department_user):
    report = make_report(visibility=Visibility.PENDING_CONFIRMATION)
    moderation.hide_report(report, department_user, "Spam?")
    moderation.unhide_report(report, department_user)
    assert Report.objects.get(pk=report.pk).visibility == Visibility.PENDING_CONFIRMATION


def test_moderation_needs_change_permission(make_report, other_department):
    report = make_report(description=ORIGINAL)
    outsider = make_user("y", roles.DEPARTMENT_STAFF, [other_department])
    photo = Photo.objects.create(report=report, status=PhotoStatus.READY)
    for call in (
        lambda: moderation.edit_description(report, NEW, outsider, "x"),
        lambda: moderation.hide_photo(photo, outsider),
        lambda: moderation.hide_report(report, outsider, "x"),
    ):
        with pytest.raises(workflow.NotAllowed):
            call()
    report.refresh_from_db()
    assert report.description == ORIGINAL and report.visibility == Visibility.PUBLIC
    assert not report.events.filter(kind=EventKind.MODERATION).exists()
