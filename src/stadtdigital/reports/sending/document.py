"""The report as sent to another body: the public part, the answers to the category's questions, photos
and the place. Never the reporter's name, email or phone (decision 0023): the body answers through us.

`report_document()` is the webhook's JSON (schema `stadtdigital.report.v1`, docs/webhook.md) and the
content of the email method's mail.
"""

from django.conf import settings
from django.utils import timezone

SCHEMA = "https://stadtdigital.example/schemas/report-v1.json"  # $id of reports/data/report-v1.schema.json
SCHEMA_VERSION = "1"


def report_answers(report) -> list[dict]:
    """The answers to the category's questions, in the questions' order, with their labels.

    (A small local selector; the back office's answer display may later provide a shared one.)"""
    answers = []
    values = report.attribute_values.select_related("question").order_by("question__position", "question_id")
    for answer in values:
        question = answer.question
        value = answer.value
        names = {str(choice.get("key")): choice.get("name") for choice in question.choices or []}
        if isinstance(value, list):
            shown = ", ".join(str(names.get(str(v), v)) for v in value)
        else:
            shown = str(names.get(str(value), value))
        answers.append({"code": question.code, "question": question.label, "value": value, "text": shown})
    return answers


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
            "answers": [{k: a[k] for k in ("code", "question", "value")} for a in report_answers(report)],
            "photos": photo_urls(report),
        },
        "city": settings.CITY_NAME,
    }
