"""Area alerts: email about new public reports within a radius of a point (double opt-in).

    subscribe_area_alert(email, lat, lon, radius_m, category=None)  -> AreaAlert (unconfirmed; mail queued)
    confirm_area_alert(token)                                       -> AreaAlert | None
    unsubscribe_area_alert(token)                                   -> bool
    notify_new_public_report(report)                                -> number of mails queued

`notify_new_public_report` is called by intake when a report becomes public (after confirmation, or at once).
"""

import math
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.core.mail import queue_mail
from stadtdigital.reports.models import AreaAlert, Category, Report, Visibility

RADIUS_CHOICES_M = (200, 500, 1000, 2000, 5000)
EARTH_RADIUS_M = 6_371_008.8
METERS_PER_DEGREE_LAT = 111_320.0


class AlertError(ValueError):
    """Bad input for an alert; the message is user-facing."""


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def in_city(lat: float, lon: float) -> bool:
    south, west, north, east = settings.CITY_BOUNDS
    return south <= lat <= north and west <= lon <= east


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _parse_token(token) -> uuid.UUID | None:
    try:
        return token if isinstance(token, uuid.UUID) else uuid.UUID(str(token))
    except (TypeError, ValueError):
        return None


def subscribe_area_alert(
    email: str, lat: float, lon: float, radius_m: int, category: Category | None = None, language: str = "de"
) -> AreaAlert:
    """Stores an unconfirmed alert and queues the confirmation mail. Nothing is sent until it is confirmed."""
    email = email.strip()
    if not email:
        raise AlertError(_("Bitte geben Sie eine E-Mail-Adresse an."))
    if radius_m not in RADIUS_CHOICES_M:
        raise AlertError(_("Bitte wählen Sie einen der angebotenen Umkreise."))
    if not in_city(lat, lon):
        raise AlertError(_("Der Ort liegt außerhalb des Stadtgebiets."))
    with transaction.atomic():
        alert = AreaAlert.objects.create(email=email, lat=lat, lon=lon, radius_m=radius_m, category=category)
        confirm_url = _absolute(reverse("reports:alert-confirm", kwargs={"token": alert.token}))
        unsubscribe_url = _absolute(reverse("reports:alert-unsubscribe", kwargs={"token": alert.token}))
        context = {
            "alert": alert,
            "category": category,
            "confirm_url": confirm_url,
            "unsubscribe_url": unsubscribe_url,
        }
        transaction.on_commit(
            lambda: queue_mail(
                email,
                _("Bitte bestätigen: Benachrichtigung über neue Anliegen"),
                "reports/email/alert_confirm",
                context,
                language=language,
            )
        )
    return alert


def confirm_area_alert(token) -> AreaAlert | None:
    token = _parse_token(token)
    alert = AreaAlert.objects.filter(token=token).first() if token else None
    if alert is not None and alert.confirmed_at is None:
        alert.confirmed_at = timezone.now()
        alert.save(update_fields=["confirmed_at"])
    return alert


def unsubscribe_area_alert(token) -> bool:
    token = _parse_token(token)
    if token is None:
        return False
    deleted, _rows = AreaAlert.objects.filter(token=token).delete()
    return bool(deleted)


def matching_alerts(report: Report) -> list[AreaAlert]:
    """Confirmed alerts whose circle contains the report: bounding box per alert in SQL, then haversine."""
    cos_lat = max(math.cos(math.radians(report.lat)), 0.01)
    lat_margin = F("radius_m") / METERS_PER_DEGREE_LAT
    lon_margin = F("radius_m") / (METERS_PER_DEGREE_LAT * cos_lat)
    candidates = (
        AreaAlert.objects.filter(confirmed_at__isnull=False)
        .filter(Q(category__isnull=True) | Q(category_id=report.category_id))
        .filter(
            lat__gte=report.lat - lat_margin,
            lat__lte=report.lat + lat_margin,
            lon__gte=report.lon - lon_margin,
            lon__lte=report.lon + lon_margin,
        )
        .order_by("id")
    )
    return [
        alert
        for alert in candidates
        if haversine_m(alert.lat, alert.lon, report.lat, report.lon) <= alert.radius_m
    ]


def notify_new_public_report(report: Report) -> int:
    """Queues one mail per matching confirmed alert (each with its own unsubscribe link)."""
    if report.visibility != Visibility.PUBLIC:
        return 0
    # The reporter's own address is read only to avoid alerting them about their own report.
    own_email = (
        Report.objects.filter(pk=report.pk).values_list("reporter_email", flat=True).first() or ""
    ).lower()
    report_url = _absolute(report.get_absolute_url())
    sent = 0
    now = timezone.now()
    for alert in matching_alerts(report):
        if own_email and alert.email.lower() == own_email:
            continue
        context = {
            "alert": alert,
            "report": report,
            "category_name": report.category.name,
            "report_url": report_url,
            "distance_m": round(haversine_m(alert.lat, alert.lon, report.lat, report.lon)),
            "unsubscribe_url": _absolute(reverse("reports:alert-unsubscribe", kwargs={"token": alert.token})),
        }
        queue_mail(
            alert.email,
            _("Neues Anliegen in Ihrer Nähe: %(category)s") % {"category": report.category.name},
            "reports/email/alert_new_report",
            context,
        )
        sent += 1
        AreaAlert.objects.filter(pk=alert.pk).update(last_notified_at=now)
    return sent
