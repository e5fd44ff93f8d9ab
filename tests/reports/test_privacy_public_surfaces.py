"""No public page served by the list/map/detail/feed/photo views shows personal data or internal notes.

Reports with distinctive names, emails, phones and internal notes; every public surface is scanned. The
reporter's name may appear only on that report's own page, and only when they chose show_name.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from stadtdigital.reports.models import EventKind, Photo, PhotoStatus, State, Visibility
from stadtdigital.reports.services.history import record_event

pytestmark = pytest.mark.django_db

SECRETS = {
    "emails": [
        "xq-anna@privat-mail.example",
        "xq-bernd@privat-mail.example",
        "xq-hidden@privat-mail.example",
    ],
    "phones": ["+49 170 5550111", "0170-5550222", "5550333"],
    "notes": ["INTERN-NOTIZ-XQ1", "INTERN-NOTIZ-XQ2", "INTERN-EVENT-XQ3", "HIDDEN-REPORT-TEXT-XQ"],
    "names": ["Annabella Xquisit", "Bernhard Xquisit", "Hilde Xquisit"],
}


@pytest.fixture
def reports(make_report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shown = make_report(
        description="Schlagloch am Markt",
        address="Marktplatz 1",
        reporter_name=SECRETS["names"][0],
        reporter_email=SECRETS["emails"][0],
        reporter_phone=SECRETS["phones"][0],
        show_name=True,
        supporters_count=2,
    )
    anonymous = make_report(
        state=State.FIXED,
        description="Laterne defekt",
        reporter_name=SECRETS["names"][1],
        reporter_email=SECRETS["emails"][1],
        reporter_phone=SECRETS["phones"][1],
        show_name=False,
    )
    hidden = make_report(
        visibility=Visibility.HIDDEN,
        description=SECRETS["notes"][3],
        reporter_name=SECRETS["names"][2],
        reporter_email=SECRETS["emails"][2],
        reporter_phone=SECRETS["phones"][2],
        show_name=True,
    )
    for report, note in ((shown, SECRETS["notes"][0]), (anonymous, SECRETS["notes"][1])):
        record_event(report, EventKind.NOTE, internal_note=note)
        record_event(
            report,
            EventKind.STATE,
            from_state=State.RECEIVED,
            to_state=State.IN_PROGRESS,
            public_text="Wird erledigt.",
            internal_note=SECRETS["notes"][2],
            data={"original": SECRETS["emails"][0]},
        )
    for report in (shown, anonymous, hidden):
        Photo.objects.create(
            report=report,
            status=PhotoStatus.READY,
            image=default_storage.save(f"reports/{report.pk}/a.jpg", ContentFile(b"\xff\xd8image")),
            thumbnail=default_storage.save(f"reports/{report.pk}/t.jpg", ContentFile(b"\xff\xd8thumb")),
            upload=default_storage.save(
                f"reports/{report.pk}/raw.jpg", ContentFile(SECRETS["names"][0].encode())
            ),
        )
        Photo.objects.create(
            report=report,
            status=PhotoStatus.READY,
            hidden=True,
            image=default_storage.save(f"reports/{report.pk}/h.jpg", ContentFile(b"\xff\xd8HIDDENPHOTO")),
        )
    return shown, anonymous, hidden


def public_surfaces(client, reports):
    """(url, body) of every public surface of this part of the app."""
    shown, anonymous, hidden = reports
    city = "49.10,9.13,49.19,9.28"
    urls = [
        reverse("reports:list"),
        reverse("reports:list") + "?status=alle",
        reverse("reports:list") + "?status=alle&q=Markt",
        reverse("reports:list") + "?status=alle&sortierung=unterstuetzt&kategorie=schlagloch",
        reverse("reports:list") + "?status=fixed&zeitraum=30",
        reverse("reports:map-data") + f"?bbox={city}&zoom=12&status=alle",
        reverse("reports:map-data") + f"?bbox={city}&zoom=18&status=alle",
        reverse("reports:feed"),
        reverse("reports:feed") + "?status=alle",
        reverse("reports:detail", kwargs={"pk": anonymous.pk}),
        reverse("reports:detail", kwargs={"pk": hidden.pk}),
        reverse("reports:alert-subscribe"),
    ]
    for report in (shown, anonymous, hidden):
        for photo in report.photos.all():
            kwargs = {"pk": report.pk, "photo_pk": photo.pk}
            urls += [
                reverse("reports:photo", kwargs=kwargs),
                reverse("reports:photo-thumbnail", kwargs=kwargs),
            ]
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        yield url, body.decode("utf-8", "replace")


def test_no_personal_data_or_internal_notes_anywhere(client, reports):
    forbidden = SECRETS["emails"] + SECRETS["phones"] + SECRETS["notes"] + SECRETS["names"] + ["HIDDENPHOTO"]
    scanned = 0
    for url, body in public_surfaces(client, reports):
        scanned += 1
        for secret in forbidden:
            assert secret not in body, f"{secret!r} leaked on {url}"
        assert "Xquisit" not in body, url
    assert scanned > 12


def test_name_appears_only_on_own_detail_page_when_chosen(client, reports):
    shown, _anonymous, _hidden = reports
    body = client.get(reverse("reports:detail", kwargs={"pk": shown.pk})).content.decode()
    assert SECRETS["names"][0] in body
    for secret in SECRETS["emails"] + SECRETS["phones"] + SECRETS["notes"] + SECRETS["names"][1:]:
        assert secret not in body


def test_search_does_not_look_into_personal_data(client, reports):
    for term in ("Annabella", "privat-mail", "5550111"):
        response = client.get(reverse("reports:list"), {"status": "alle", "q": term})
        assert response.context["page"].paginator.count == 0, term
