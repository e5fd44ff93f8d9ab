"""Reporters' personal data (DSGVO): the deadline purge, and export or deletion for one email address.

Personal data of a report are `reporter_name`, `reporter_email`, `reporter_phone` (and `show_name`), plus the
email addresses of its subscriptions. Area alerts hold an email address too. The anonymous report (category,
place, public text, history) stays: it is the city's record and public information.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from stadtdigital.core.files import STORAGE_ERRORS, remove_quietly, upload_storage
from stadtdigital.core.services import forget_accessibility_feedback_contacts
from stadtdigital.reports.models import (
    AreaAlert,
    Event,
    EventKind,
    PersonalDataFinding,
    Photo,
    PhotoStatus,
    Report,
    Subscription,
    Visibility,
)
from stadtdigital.reports.services.history import record_event

PERSONAL_FIELDS = ("reporter_name", "reporter_email", "reporter_phone")
INCOMING_DIR = "reports/incoming"
RAW_UPLOAD_GRACE = datetime.timedelta(days=1)
_HAS_PERSONAL_DATA = ~Q(reporter_name="") | ~Q(reporter_email="") | ~Q(reporter_phone="") | Q(show_name=True)


def _blank(**extra) -> dict:
    return {"reporter_name": "", "reporter_email": "", "reporter_phone": "", "show_name": False, **extra}


def _expired_unconfirmed(cutoff: datetime.datetime):
    """Never-confirmed reports whose link expired before `cutoff` (never public, never handled)."""
    link_valid = datetime.timedelta(days=settings.REPORT_CONFIRMATION_DAYS)
    return Q(visibility=Visibility.PENDING_CONFIRMATION, created_at__lt=cutoff - link_valid)


def purgeable_reports(days: int | None = None, now: datetime.datetime | None = None):
    """Reports closed (or left unconfirmed after the link expired) more than `days` days ago that still
    carry personal data."""
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    closed_long_ago = Q(is_open=False, closed_at__lt=cutoff)
    return Report.objects.filter(closed_long_ago | _expired_unconfirmed(cutoff)).filter(_HAS_PERSONAL_DATA)


def purge_personal_data(days: int | None = None, now: datetime.datetime | None = None) -> int:
    """Removes name, email and phone of reports closed more than `days` days ago (default: the setting
    PERSONAL_DATA_RETENTION_DAYS) or never confirmed, the subscriptions of those reports, and the original
    texts that moderation kept for staff (they were edited because they held personal data). Returns how
    many reports were purged; running it again returns 0. Open reports are never touched."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    with transaction.atomic():
        report_ids = list(purgeable_reports(days, now).values_list("pk", flat=True))
        count = Report.objects.filter(pk__in=report_ids).update(**_blank(personal_data_purged_at=now))
        Subscription.objects.filter(report__is_open=False, report__closed_at__lt=cutoff).delete()
        _drop_moderated_originals(Q(report__is_open=False, report__closed_at__lt=cutoff))
        # Texts masked at intake and never reviewed: the unmasked original goes too.
        PersonalDataFinding.objects.filter(report__is_open=False, report__closed_at__lt=cutoff).update(
            original_description="", original_answers={}
        )
    purge_raw_uploads(now)
    forget_accessibility_feedback_contacts(now)  # the one daily personal-data job covers core's data too
    return count


def purge_raw_uploads(now: datetime.datetime | None = None) -> int:
    """Deletes raw photo uploads (they carry EXIF, often GPS) that outlived their processing: those of photos
    no longer pending, of photos pending for over a day (marked failed), and files in reports/incoming/ no
    photo refers to (left by a crash between storing and saving the report) older than a day."""
    now = now or timezone.now()
    day_ago = now - RAW_UPLOAD_GRACE
    removed = 0
    outlived = ~Q(status=PhotoStatus.PENDING) | Q(created_at__lt=day_ago)
    leftover = Photo.objects.exclude(upload="").filter(outlived)
    for photo in leftover.only("pk", "upload", "status"):
        Photo.objects.filter(pk=photo.pk, status=PhotoStatus.PENDING).update(
            status=PhotoStatus.FAILED, error=gettext("Das Foto konnte nicht verarbeitet werden.")
        )
        Photo.objects.filter(pk=photo.pk).update(upload="")
        remove_quietly(upload_storage(), photo.upload.name)
        removed += 1
    return removed + _purge_orphan_uploads(day_ago)


def _purge_orphan_uploads(older_than: datetime.datetime) -> int:
    try:
        _directories, files = upload_storage().listdir(INCOMING_DIR)
    except (FileNotFoundError, NotImplementedError):
        return 0
    names = {f"{INCOMING_DIR}/{file}" for file in files}
    referenced = set(Photo.objects.filter(upload__in=names).values_list("upload", flat=True))
    removed = 0
    for name in sorted(names - referenced):
        try:
            if upload_storage().get_modified_time(name) >= older_than:
                continue  # maybe a report being stored right now
        except (*STORAGE_ERRORS, NotImplementedError):
            continue
        remove_quietly(upload_storage(), name)
        removed += 1
    return removed


def _drop_moderated_originals(report_filter: Q) -> None:
    events = Event.objects.filter(report_filter, kind=EventKind.MODERATION, data__has_key="original")
    for event in events.only("pk", "data"):
        event.data = {key: value for key, value in event.data.items() if key != "original"}
        event.data["original_removed"] = True
        event.save(update_fields=["data"])


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _reports_of(email: str):
    return Report.objects.filter(reporter_email__iexact=email.strip())


def export_personal_data(email: str) -> dict:
    """Everything stored about one email address, JSON-ready: its reports (public and personal fields,
    answers to extra questions, public history), its subscriptions and its area alerts."""
    email = email.strip()
    reports = []
    for report in (
        _reports_of(email)
        .select_related("category", "department")
        .prefetch_related("attribute_values__question", "events", "photos")
    ):
        reports.append(
            {
                "id": report.pk,
                "url": f"{settings.SITE_URL}{report.get_absolute_url()}",
                "category": report.category.name,
                "department": report.department.name,
                "state": report.state,
                "state_label": str(report.get_state_display()),
                "visibility": report.visibility,
                "description": report.description,
                "address": report.address,
                "lat": report.lat,
                "lon": report.lon,
                "created_at": _iso(report.created_at),
                "closed_at": _iso(report.closed_at),
                "source": report.source,
                "personal_data": {
                    "name": report.reporter_name,
                    "email": report.reporter_email,
                    "phone": report.reporter_phone,
                    "show_name": report.show_name,
                    "privacy_consent_at": _iso(report.privacy_consent_at),
                    "confirmed_at": _iso(report.confirmed_at),
                },
                "answers": [
                    {"question": value.question.label, "value": value.value}
                    for value in report.attribute_values.all()
                ],
                "photos": len(report.photos.all()),
                "public_history": [
                    {
                        "at": _iso(event.created_at),
                        "kind": event.kind,
                        "to_state": event.to_state,
                        "text": event.public_text,
                    }
                    for event in report.events.all()
                    if event.is_public
                ],
            }
        )
    subscriptions = [
        {
            "report_id": sub.report_id,
            "email": sub.email,
            "created_at": _iso(sub.created_at),
            "confirmed_at": _iso(sub.confirmed_at),
        }
        for sub in Subscription.objects.filter(email__iexact=email).order_by("created_at", "id")
    ]
    alerts = [
        {
            "email": alert.email,
            "lat": alert.lat,
            "lon": alert.lon,
            "radius_m": alert.radius_m,
            "category": alert.category.name if alert.category else None,
            "created_at": _iso(alert.created_at),
            "confirmed_at": _iso(alert.confirmed_at),
            "last_notified_at": _iso(alert.last_notified_at),
        }
        for alert in AreaAlert.objects.filter(email__iexact=email).select_related("category").order_by("id")
    ]
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "city": settings.CITY_NAME,
        "reports": reports,
        "subscriptions": subscriptions,
        "area_alerts": alerts,
    }


@transaction.atomic
def delete_personal_data(email: str, by=None) -> dict[str, int]:
    """Blanks the personal fields of the reports filed with this email address and deletes its
    subscriptions and area alerts. Each report gets an internal MODERATION event (without the address).
    Returns the counts: {"reports": n, "subscriptions": n, "area_alerts": n}."""
    email = email.strip()
    now = timezone.now()
    if not email:
        return {"reports": 0, "subscriptions": 0, "area_alerts": 0}
    reports = list(_reports_of(email).select_for_update())
    for report in reports:
        Report.objects.filter(pk=report.pk).update(**_blank(personal_data_purged_at=now))
        record_event(
            report,
            EventKind.MODERATION,
            actor=by,
            is_public=False,
            internal_note="Personenbezogene Daten auf Antrag der meldenden Person gelöscht (DSGVO).",
            data={"action": "delete_personal_data"},
            at=now,
        )
    subscriptions, _ = Subscription.objects.filter(email__iexact=email).delete()
    alerts, _ = AreaAlert.objects.filter(email__iexact=email).delete()
    return {"reports": len(reports), "subscriptions": subscriptions, "area_alerts": alerts}
