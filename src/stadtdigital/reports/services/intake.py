"""The one code path for new reports: web form, Open311 API, import and staff all call `submit_report`.

    result = submit_report(ReportInput(category="schlagloch", lat=49.14, lon=9.21, description="..."),
                           client_ip="203.0.113.7", user=request.user)

Everything is checked before anything is stored; bad input raises `ReportRejected` with German messages per
field ("category", "location", "description", "attributes.<code>", "photos", "name", "email", "phone",
"privacy_consent", "__all__"). A valid report is stored in one short transaction (report, answers, photo rows
with the raw uploads, the CREATED event); photo processing, emails and area alerts follow after the commit in
background tasks, so a request never waits on image work or SMTP.
"""

import datetime
import logging
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stadtdigital.core import ratelimit
from stadtdigital.core.files import remove_quietly, save_whole, upload_storage
from stadtdigital.core.mail import queue_mail
from stadtdigital.reports.geocoding import get_geocoder
from stadtdigital.reports.models import (
    OPEN_STATES,
    AttributeValue,
    Category,
    CategoryQuestion,
    EventKind,
    Photo,
    PhotoStatus,
    QuestionType,
    Report,
    Source,
    State,
    Subscription,
    Visibility,
)
from stadtdigital.reports.selectors.nearby import nearby_open_reports
from stadtdigital.reports.sending.services import queue_new_report
from stadtdigital.reports.services import personal_data
from stadtdigital.reports.services import photos as photo_service
from stadtdigital.reports.services.history import record_event

logger = logging.getLogger(__name__)

DESCRIPTION_MIN = 5
DESCRIPTION_MAX = 5000
STRING_MAX = 300
TEXT_MAX = 5000
NAME_MAX = 150
PHONE_RE = re.compile(r"^\+?[0-9 ()/.\-]{3,40}$")
NUL = "\x00"  # no text field may hold it (PostgreSQL refuses to store it)


@dataclass(frozen=True)
class PhotoData:
    """A photo given as bytes (API, import, tests) instead of a Django UploadedFile."""

    name: str
    content: bytes


@dataclass(frozen=True)
class ReportInput:
    category: str | Category | None = None  # code (Open311 service_code) or the Category
    lat: float | str | None = None
    lon: float | str | None = None
    address: str = ""  # street and house number or a landmark; located by the geocoder without lat/lon
    description: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)  # question code -> value or list of keys
    photos: Sequence[Any] = ()  # UploadedFile, PhotoData or (name, bytes)
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    show_name: bool = False
    privacy_consent: bool = False
    source: str = Source.WEB
    api_client: str = ""
    device_id: str = ""
    account_id: str = ""
    media_urls: Sequence[str] = ()  # Open311 media_url: recorded for staff, never fetched
    # Category suggestions the citizen was shown and whether one was taken (recorded to learn from):
    # {"model": version, "suggested": [category ids], "chosen": category id or None}
    suggestion: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class SubmitResult:
    report: Report
    needs_confirmation: bool
    service_notice: str
    # Open reports of the same category close by, nearest first: the "Schon gemeldet?" check. The web form
    # shows them before sending; the Open311 answer names them in its service_notice.
    possible_duplicates: list[int] = field(default_factory=list)


class ReportRejected(Exception):
    """Bad input: `errors` maps a field to its German messages. Nothing was stored."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items()))


class RateLimited(ReportRejected):
    """Too many submissions from one address (HTTP 429 in the API)."""


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    address: str


# --- parsing and validation (pure functions, also used by the form and the API) ---------------------------


def parse_coordinate(value) -> float | None:
    """'49,142' / '49.142' / 49.142 -> 49.142; None for empty input; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", ".")
        if not re.fullmatch(r"[+-]?\d{1,3}(\.\d+)?", text):
            raise ValueError(value)
        number = float(text)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def in_city(lat: float, lon: float) -> bool:
    south, west, north, east = settings.CITY_BOUNDS
    return south <= lat <= north and west <= lon <= east


def resolve_category(value) -> Category:
    """The active category for a code or Category; ValidationError with a German message otherwise."""
    if isinstance(value, Category):
        category = value
    elif value in (None, ""):
        raise ValidationError(_("Bitte wählen Sie eine Kategorie."))
    else:
        code = str(value)
        category = (
            None if NUL in code else Category.objects.select_related("department").filter(code=code).first()
        )
        if category is None:
            raise ValidationError(_("Diese Kategorie gibt es nicht. Bitte wählen Sie eine aus der Liste."))
    if not category.is_active:
        raise ValidationError(
            _("Diese Kategorie nimmt keine Meldungen mehr an. Bitte wählen Sie eine andere.")
        )
    return category


def describe_point(lat: float, lon: float) -> str:
    """'nahe Hauptstraße 12–20' for a map pin: the nearest street section of the street list, or ''."""
    place = get_geocoder().nearest(lat, lon)
    return _("nahe %(place)s") % {"place": place.label} if place else ""


def resolve_location(lat, lon, address: str = "") -> Location:
    """A point inside the city from coordinates or, without them, from the address via the geocoder."""
    address = " ".join((address or "").split())[:300]
    if NUL in address:
        raise ValidationError(_("Die Ortsangabe enthält ein unzulässiges Zeichen (Nullbyte)."))
    try:
        lat_value, lon_value = parse_coordinate(lat), parse_coordinate(lon)
    except ValueError:
        raise ValidationError(_("Die Koordinaten sind ungültig.")) from None
    if lat_value is not None and lon_value is not None:
        if not (-90 <= lat_value <= 90 and -180 <= lon_value <= 180) or not in_city(lat_value, lon_value):
            raise ValidationError(
                _("Der Ort liegt außerhalb des Stadtgebiets. Bitte wählen Sie einen Ort in %(city)s.")
                % {"city": settings.CITY_NAME}
            )
        if not address:
            address = describe_point(lat_value, lon_value)
        return Location(lat_value, lon_value, address)
    if (lat_value is None) != (lon_value is None):
        raise ValidationError(_("Die Koordinaten sind unvollständig."))
    if not address:
        raise ValidationError(
            _(
                "Bitte setzen Sie den Ort auf der Karte oder geben Sie Straße und Hausnummer "
                "oder einen Ort an."
            )
        )
    place = get_geocoder().locate(address)
    if place is None:
        suggestions = get_geocoder().suggest(address, 5)
        if suggestions:
            raise ValidationError(
                _("„%(address)s“ ist nicht eindeutig. Meinten Sie: %(suggestions)s?")
                % {"address": address, "suggestions": ", ".join(place.name for place in suggestions)}
            )
        raise ValidationError(
            _(
                "„%(address)s“ haben wir im Straßenverzeichnis nicht gefunden. Bitte prüfen Sie die "
                "Schreibweise, nennen Sie einen Ort in der Nähe oder setzen Sie den Punkt auf der Karte."
            )
            % {"address": address}
        )
    if not in_city(place.lat, place.lon):
        raise ValidationError(_("Der Ort liegt außerhalb des Stadtgebiets."))
    return Location(place.lat, place.lon, place.name)


def _choice_keys(question: CategoryQuestion) -> list[str]:
    return [str(choice.get("key")) for choice in question.choices or [] if isinstance(choice, dict)]


def clean_attribute(question: CategoryQuestion, value):
    """The value to store for one answer (None = not answered); ValidationError with a German message."""
    datatype = question.datatype
    if isinstance(value, list | tuple) and datatype != QuestionType.MULTIPLE_CHOICE:
        value = value[0] if len(value) == 1 else value
        if isinstance(value, list | tuple):
            raise ValidationError(_("Bitte nur einen Wert angeben."))
    empty = value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())
    if empty:
        if question.required:
            raise ValidationError(_("Bitte beantworten Sie diese Frage."))
        return None
    if datatype in (QuestionType.STRING, QuestionType.TEXT):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValidationError(_("Bitte einen Text eingeben."))
        text = str(value).strip()
        if NUL in text:
            raise ValidationError(_("Der Text enthält ein unzulässiges Zeichen (Nullbyte)."))
        limit = STRING_MAX if datatype == QuestionType.STRING else TEXT_MAX
        if len(text) > limit:
            raise ValidationError(_("Bitte höchstens %(limit)d Zeichen.") % {"limit": limit})
        return text
    if datatype == QuestionType.NUMBER:
        if isinstance(value, bool):
            raise ValidationError(_("Bitte eine Zahl eingeben, z. B. 12 oder 3,5."))
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = str(value).strip().replace(" ", "").replace(",", ".")
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
                raise ValidationError(_("Bitte eine Zahl eingeben, z. B. 12 oder 3,5."))
            number = float(text)
        if not math.isfinite(number) or abs(number) > 1e12:
            raise ValidationError(_("Bitte eine Zahl eingeben, z. B. 12 oder 3,5."))
        return int(number) if number.is_integer() else number
    if datatype == QuestionType.DATETIME:
        return _clean_date(value)
    if datatype == QuestionType.SINGLE_CHOICE:
        keys = _choice_keys(question)
        if str(value) not in keys:
            raise ValidationError(_("Bitte wählen Sie eine der angebotenen Möglichkeiten."))
        return str(value)
    if datatype == QuestionType.MULTIPLE_CHOICE:
        values = list(value) if isinstance(value, list | tuple | set) else [value]
        keys = _choice_keys(question)
        chosen = {str(item) for item in values}
        if not chosen <= set(keys):
            raise ValidationError(_("Bitte wählen Sie nur aus den angebotenen Möglichkeiten."))
        return [key for key in keys if key in chosen]
    raise ValidationError(_("Diese Frage kann nicht beantwortet werden."))


def _clean_date(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            pass
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise ValidationError(_("Bitte ein Datum eingeben, z. B. 24.12.2024.")) from None


def _photo_parts(photo) -> tuple[str, Any, int]:
    """(file name, readable file object, size) for an UploadedFile, PhotoData or (name, bytes)."""
    if isinstance(photo, PhotoData):
        return photo.name, ContentFile(photo.content, name=photo.name), len(photo.content)
    if isinstance(photo, tuple) and len(photo) == 2:
        name, content = photo
        return str(name), ContentFile(content, name=str(name)), len(content)
    name = getattr(photo, "name", "") or "foto"
    size = getattr(photo, "size", None)
    if size is None:
        photo.seek(0, 2)
        size = photo.tell()
        photo.seek(0)
    return name.rsplit("/", 1)[-1], photo, size


def _check_photos(photos: Sequence) -> tuple[list[tuple[str, Any, str]], list[str]]:
    errors, checked = [], []
    photos = [photo for photo in photos if photo]
    if len(photos) > settings.REPORT_MAX_PHOTOS:
        errors.append(
            ngettext(
                "Bitte höchstens %(max)d Foto anhängen.",
                "Bitte höchstens %(max)d Fotos anhängen.",
                settings.REPORT_MAX_PHOTOS,
            )
            % {"max": settings.REPORT_MAX_PHOTOS}
        )
        return checked, errors
    max_mb = settings.REPORT_MAX_PHOTO_BYTES / 1024 / 1024
    for photo in photos:
        name, handle, size = _photo_parts(photo)
        shown = name[:80]
        if size == 0:
            errors.append(_("„%(name)s“ ist leer.") % {"name": shown})
            continue
        if size > settings.REPORT_MAX_PHOTO_BYTES:
            errors.append(
                _("„%(name)s“ ist zu groß (höchstens %(mb)s MB).") % {"name": shown, "mb": f"{max_mb:g}"}
            )
            continue
        try:
            result = photo_service.check_upload(handle)
        except photo_service.PhotoError as exc:
            errors.append(f"„{shown}“: {exc}")
            continue
        extension = {"JPEG": ".jpg", "PNG": ".png", "WebP": ".webp", "GIF": ".gif"}[result.format]
        checked.append((name, handle, extension))
    return checked, errors


def description_required(questions, *, has_photos: bool) -> bool:
    """A description is optional (as in Open311) where answers to a required question or a photo carry
    what the problem is; otherwise it is needed. The web form and Open311 POST both go through here."""
    return not has_photos and not any(question.required for question in questions)


def validate(data: ReportInput) -> tuple[Category, Location, dict, list, dict]:
    """Checks everything; returns (category, location, {question: value}, photos, cleaned personal data)."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    category = None
    try:
        category = resolve_category(data.category)
    except ValidationError as exc:
        add("category", exc.messages[0])

    location = None
    try:
        location = resolve_location(data.lat, data.lon, data.address)
    except ValidationError as exc:
        add("location", exc.messages[0])

    answers: dict[CategoryQuestion, Any] = {}
    questions = list(category.questions.all()) if category else []
    if category:
        given = dict(data.attributes or {})
        for question in questions:
            try:
                value = clean_attribute(question, given.pop(question.code, None))
            except ValidationError as exc:
                add(f"attributes.{question.code}", exc.messages[0])
                continue
            if value is not None:
                answers[question] = value
        for code in given:
            add(f"attributes.{code}", _("Diese Angabe gehört nicht zur gewählten Kategorie."))

    description = (data.description or "").strip()
    if NUL in description:
        add("description", _("Der Text enthält ein unzulässiges Zeichen (Nullbyte)."))
    elif not description and description_required(questions, has_photos=bool(data.photos)):
        add(
            "description",
            _("Bitte beschreiben Sie das Problem in ein paar Worten oder fügen Sie ein Foto bei."),
        )
    elif description and len(description) < DESCRIPTION_MIN:
        add("description", _("Bitte beschreiben Sie das Problem etwas genauer (mindestens 5 Zeichen)."))
    elif len(description) > DESCRIPTION_MAX:
        add(
            "description",
            _("Bitte fassen Sie sich kürzer (höchstens %(max)d Zeichen, jetzt %(count)d).")
            % {"max": DESCRIPTION_MAX, "count": len(description)},
        )

    checked_photos, photo_errors = _check_photos(data.photos or ())
    for message in photo_errors:
        add("photos", message)

    name = " ".join((data.reporter_name or "").split())
    email = (data.reporter_email or "").strip()
    phone = " ".join((data.reporter_phone or "").split())
    if NUL in name:
        add("name", _("Der Name enthält ein unzulässiges Zeichen (Nullbyte)."))
    elif len(name) > NAME_MAX:
        add("name", _("Bitte höchstens %(max)d Zeichen.") % {"max": NAME_MAX})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            add("email", _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."))
        if len(email) > 254:
            add("email", _("Die E-Mail-Adresse ist zu lang."))
    if phone and not PHONE_RE.match(phone):
        add("phone", _("Bitte nur Ziffern, Leerzeichen und + ( ) / - verwenden."))
    if (name or email or phone) and not data.privacy_consent:
        add(
            "privacy_consent",
            _("Wenn Sie Name, E-Mail oder Telefon angeben, stimmen Sie bitte der Datenschutzerklärung zu."),
        )
    if data.source not in Source.values:
        add("__all__", _("Unbekannte Quelle."))

    if errors:
        raise ReportRejected(errors)
    personal = {
        "reporter_name": name,
        "reporter_email": email,
        "reporter_phone": phone,
        "show_name": bool(data.show_name and name),
    }
    return category, location, answers, checked_photos, personal


# --- storing ------------------------------------------------------------------------------------------


def _store_uploads(photos: list[tuple[str, Any, str]]) -> list[str]:
    """Writes the raw uploads to storage before the transaction (no file I/O while holding the write lock)."""
    names = []
    try:
        for _name, handle, extension in photos:
            handle.seek(0)
            name = f"reports/incoming/{uuid.uuid4().hex}{extension}"
            names.append(save_whole(upload_storage(), name, handle))
    except Exception:
        for stored in names:
            remove_quietly(upload_storage(), stored)
        raise
    return names


def _is_staff(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    from stadtdigital.core.roles import is_staff_member

    return is_staff_member(user)


def submit_report(data: ReportInput, *, client_ip: str | None, user=None) -> SubmitResult:
    """Validates, stores and announces a new report. Raises ReportRejected (RateLimited) on bad input."""
    category, location, answers, checked_photos, personal = validate(data)
    logged_in = user is not None and getattr(user, "is_authenticated", False)
    limited = client_ip and not _is_staff(user)
    if limited and not ratelimit.hit(f"report:ip:{client_ip}", settings.REPORT_RATE_LIMIT_PER_HOUR, 3600):
        raise RateLimited(
            {
                "__all__": [
                    _(
                        "Von Ihrem Anschluss kamen in der letzten Stunde sehr viele Meldungen. Bitte "
                        "versuchen Sie es später noch einmal oder rufen Sie uns an."
                    )
                ]
            }
        )
    needs_confirmation = bool(personal["reporter_email"]) and not logged_in
    possible_duplicates = [
        near.report.pk
        for near in nearby_open_reports(category, location.lat, location.lon, limit=3, with_photos=False)
    ]
    # Personal data in the free text is masked before anything is stored (the original waits for staff).
    masked = personal_data.mask_input((data.description or "").strip(), answers)
    stored_uploads = _store_uploads(checked_photos)
    now = timezone.now()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                category=category,
                department=category.department,
                state=State.RECEIVED,
                is_open=State.RECEIVED in OPEN_STATES,
                visibility=Visibility.PENDING_CONFIRMATION if needs_confirmation else Visibility.PUBLIC,
                description=masked.description,
                lat=location.lat,
                lon=location.lon,
                address=location.address,
                created_at=now,
                updated_at=now,
                due_at=now + datetime.timedelta(days=category.target_days),
                needs_triage=category.needs_triage,
                source=data.source,
                api_client=(data.api_client or "")[:100],
                device_id=(data.device_id or "")[:100],
                account_id=(data.account_id or "")[:100],
                privacy_consent_at=now if data.privacy_consent else None,
                confirmed_at=None if needs_confirmation else (now if personal["reporter_email"] else None),
                **personal,
            )
            AttributeValue.objects.bulk_create(
                AttributeValue(report=report, question=question, value=value)
                for question, value in masked.answers.items()
            )
            personal_data.record_finding(report, masked)
            photo_rows = Photo.objects.bulk_create(
                Photo(report=report, upload=name, status=PhotoStatus.PENDING, position=index)
                for index, name in enumerate(stored_uploads)
            )
            if personal["reporter_email"] and not needs_confirmation:
                Subscription.objects.get_or_create(
                    report=report, email=personal["reporter_email"].lower(), defaults={"confirmed_at": now}
                )
            record_event(
                report,
                EventKind.CREATED,
                actor=user,
                to_state=State.RECEIVED,
                at=now,
                is_public=True,
                data={
                    "source": data.source,
                    **({"media_urls": list(data.media_urls)} if data.media_urls else {}),
                    **({"suggestion": dict(data.suggestion)} if data.suggestion else {}),
                },
            )
            photo_ids = [photo.pk for photo in photo_rows]
            transaction.on_commit(lambda: _after_commit(report, photo_ids, needs_confirmation))
            if not needs_confirmation:
                # Sent to its body after the commit (reports/sending/); queued after the photo processing.
                queue_new_report(report)
    except Exception:
        for name in stored_uploads:
            remove_quietly(upload_storage(), name)
        raise
    return SubmitResult(report, needs_confirmation, service_notice(category), possible_duplicates)


def service_notice(category: Category) -> str:
    return ngettext(
        "Zuständig: %(department)s. Ziel: erledigt innerhalb von %(days)d Tag.",
        "Zuständig: %(department)s. Ziel: erledigt innerhalb von %(days)d Tagen.",
        category.target_days,
    ) % {"department": category.department.name, "days": category.target_days}


def confirmation_deadline(report: Report) -> datetime.datetime:
    return report.created_at + datetime.timedelta(days=settings.REPORT_CONFIRMATION_DAYS)


def _after_commit(report: Report, photo_ids: list[int], needs_confirmation: bool) -> None:
    from stadtdigital.reports.tasks.photos import process_photo_task

    logger.info("report %s received (%s, %d photos)", report.pk, report.source, len(photo_ids))
    for photo_id in photo_ids:
        try:
            process_photo_task.enqueue(photo_id)
        except Exception:  # noqa: BLE001 - the report is stored; the photo stays PENDING for a retry
            logger.exception("could not queue processing of photo %s", photo_id)
    email = report.reporter_email
    context = {
        "report": report,
        "report_url": settings.SITE_URL + report.get_absolute_url(),
        "category": report.category,
        "service_notice": service_notice(report.category),
    }
    if needs_confirmation:
        context["confirm_url"] = settings.SITE_URL + reverse(
            "reports:confirm", kwargs={"token": report.confirmation_token}
        )
        context["valid_until"] = confirmation_deadline(report)
        context["valid_days"] = settings.REPORT_CONFIRMATION_DAYS
        queue_mail(
            email,
            _("Bitte bestätigen Sie Ihre Meldung Nr. %(number)s") % {"number": report.pk},
            "reports/email/confirm_report",
            context,
        )
    elif email:
        queue_mail(
            email,
            _("Ihre Meldung Nr. %(number)s ist eingegangen") % {"number": report.pk},
            "reports/email/acknowledge",
            context,
        )
    if report.visibility == Visibility.PUBLIC:
        announce_public(report)


def announce_public(report: Report) -> None:
    """Area alerts for a report that just became public (the alerts module sends them in the background)."""
    from stadtdigital.reports.services.alerts import notify_new_public_report

    try:
        notify_new_public_report(report)
    except Exception:  # noqa: BLE001 - a failing alert never undoes an accepted report
        logger.exception("area alerts for report %s failed", report.pk)
