"""The report as sent to another body: the public part, the answers to the category's questions, photos
and the place. Never the reporter's name, email or phone (decision 0023): the body answers through us.

`report_document()` is the webhook's JSON (schema `stadtdigital.report.v1`, docs/webhook.md) and the
content of the email method's mail.
"""

from django.conf import settings
from django.utils import timezone

from stadtdigital.reports.selectors import answers as answer_selectors

SCHEMA = "https://stadtdigital.example/schemas/report-v1.json"  # $id of reports/data/report-v1.schema.json
SCHEMA_VERSION = "1"


def report_answers(report, target=None) -> list[dict]:
    """The answers to the category's questions, in the questions' order, with their labels (the one reader,
    reports.selectors.answers). A target of one of our own departments gets all answers; an outside body
    only those the city marked public, like the report's public page (a free-text answer may hold personal
    data)."""
    own_department = target is not None and target.department_id is not None
    return [
        {"code": answer.code, "question": answer.label, "value": answer.value, "text": answer.text}
        for answer in answer_selectors.report_answers(report, public_only=not own_department)
    ]


def photo_urls(report) -> list[str]:
    from django.urls import reverse

    urls = []
    for photo in report.photos.filter(status="ready", hidden=False):
        path = reverse("reports:photo", kwargs={"pk": report.pk, "photo_pk": photo.pk})
        urls.append(settings.SITE_URL + path)
    return urls


def map_url(report) -> str:
    return (
        f"https://www.openstreetmap.org/?mlat={report.lat:.6f}&mlon={report.lon:.6f}"
        f"#map=18/{report.lat:.6f}/{report.lon:.6f}"
    )


def report_document(report, *, dispatch=None) -> dict:
    tz = timezone.get_current_timezone()
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "event": "report.sent",
        "dispatch_id": str(dispatch.idempotency_key) if dispatch else None,
        "report": {
            "id": report.pk,
            "url": settings.SITE_URL + report.get_absolute_url(),
            "category": {"code": report.category.code, "name": report.category.name},
            "department": report.department.name,
            "state": report.state,
            "description": report.description,
            "created_at": report.created_at.astimezone(tz).isoformat(),
            "location": {
                "lat": round(report.lat, 6),
                "lon": round(report.lon, 6),
                "address": report.address,
                "map_url": map_url(report),
            },
            "answers": [
                {k: a[k] for k in ("code", "question", "value")}
                for a in report_answers(report, dispatch.target if dispatch else None)
            ],
            "photos": photo_urls(report),
        },
        "city": settings.CITY_NAME,
    }
