"""Open311 documents as plain dicts and lists (rendered by `formats`), field names and order as in the spec.

Only public fields ever reach these functions (rows of `open311.selectors`); nothing here reads a reporter's
name, email or phone, or an internal note.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.open311 import formats
from stadtdigital.open311.formats import epoch_formatter, w3c_datetime
from stadtdigital.open311.selectors import state_label
from stadtdigital.reports.models import OPEN_STATES, State
from stadtdigital.reports.services.intake import description_required

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# discovery `changeset` before any category exists.
EMPTY_CHANGESET = "2025-06-01T00:00:00Z"

LIST_DATATYPES = ("singlevaluelist", "multivaluelist")
DESCRIPTION_NOTICE_CODE = "hinweis_beschreibung"

# Detailed state -> the status vocabulary of FixMyStreet's servicerequestupdates extension.
FMS_STATUS = {
    State.RECEIVED: "open",
    State.IN_REVIEW: "investigating",
    State.IN_PROGRESS: "in_progress",
    State.FIXED: "fixed",
    State.CLOSED_NOT_FIXED: "no_further_action",
    State.REJECTED: "closed",
    State.DUPLICATE: "duplicate",
    State.NOT_RESPONSIBLE: "not_councils_responsibility",
    State.REOPENED: "open",
}


def _photo_url_factory():
    pattern = reverse("reports:photo", kwargs={"pk": 987654321, "photo_pk": 123456789})
    prefix = settings.SITE_URL

    def url(report_id: int, photo_id: int) -> str:
        return prefix + pattern.replace("987654321", str(report_id)).replace("123456789", str(photo_id))

    return url


def open311_status(state: str) -> str:
    return "open" if state in OPEN_STATES else "closed"


def present(item: dict) -> dict:
    """The fields that have a value: a field without one is left out, never sent as null (typed clients
    generated from the OpenAPI document would break on null)."""
    return {key: value for key, value in item.items() if value is not None}


def changeset(changed_at) -> str:
    """discovery's sortable `changeset`: the latest change of a category or question, in UTC."""
    if changed_at is None:
        return EMPTY_CHANGESET
    return changed_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def discovery(base_url: str, changed_at=None) -> dict:
    stamp = changeset(changed_at)
    contact = settings.OPEN311_CONTACT or f"{settings.CITY_PUBLISHER}, {settings.SITE_URL}/"
    key_service = settings.OPEN311_KEY_SERVICE or (
        f"API keys for posting requests are issued by {settings.CITY_PUBLISHER}: {contact}"
    )
    return {
        "changeset": stamp,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": stamp,
                "type": "production",
                "formats": [formats.MIME_TYPES["xml"], formats.MIME_TYPES["json"]],
            }
        ],
    }


def description_attribute(order: int) -> dict:
    """An informational attribute (`variable: false`, never sent back) of a service whose requests need a
    `description`: one without a required question, whose answers would describe the problem
    (reports.services.intake.description_required)."""
    return {
        "variable": False,
        "code": DESCRIPTION_NOTICE_CODE,
        "datatype": "text",
        "required": False,
        "order": order,
        "description": _(
            "Bitte beschreiben Sie das Problem im Parameter description (mindestens 5 Zeichen) "
            "oder fügen Sie ein Foto (media) bei."
        ),
    }


def services(categories) -> list[dict]:
    """`metadata` is true where the definition has attributes: questions, or the description notice."""
    return [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": category.description,
            "metadata": bool(category.has_questions) or not category.has_required_question,
            "type": "realtime",
            "keywords": category.keywords,
            "group": category.group.name,
        }
        for category in categories
    ]


def service_definition(category, questions) -> dict:
    attributes = []
    for order, question in enumerate(questions, start=1):
        attribute = present(
            {
                "variable": True,
                "code": question.code,
                "datatype": question.datatype,
                "required": question.required,
                "datatype_description": question.help_text or None,
                "order": order,
                "description": question.label,
            }
        )
        if question.datatype in LIST_DATATYPES:
            attribute["values"] = [
                {"key": str(choice.get("key", "")), "name": str(choice.get("name", ""))}
                for choice in (question.choices or [])
                if isinstance(choice, dict)
            ]
        attributes.append(attribute)
    if description_required(questions, has_photos=False):
        attributes.append(description_attribute(len(attributes) + 1))
    return {"service_code": category.code, "attributes": attributes}


def request_attributes(answers) -> list[dict]:
    """The answers to the service's attributes (public questions only), like the service definition names
    them: choice answers as `values` (key and name), others as `value`."""
    result = []
    for answer in answers:
        item = {"code": answer.code, "description": answer.label, "datatype": answer.datatype}
        if answer.datatype in LIST_DATATYPES:
            item["values"] = [{"key": key, "name": name} for key, name in answer.choices]
        else:
            item["value"] = answer.value
        result.append(item)
    return result


def service_requests(rows: list[dict], *, photos=None, history=None, answers=None) -> list[dict]:
    """Requests as the spec lists them; with `photos` and `history` (extensions=true) each also gets
    `extended_attributes`, with `answers` ({report id: public answers}) their `attributes`."""
    photo_url = _photo_url_factory()
    tz = timezone.get_current_timezone()
    local_time = epoch_formatter(tz)
    result = []
    for row in rows:
        report_id = row["id"]
        # Built in the order of the spec, leaving out what has no value (as `present` does, without a
        # second dict per row: a tenth of a 1000-row page).
        item = {"service_request_id": str(report_id), "status": "open" if row["is_open"] else "closed"}
        if row["status_notes"]:
            item["status_notes"] = row["status_notes"]
        item["service_name"] = row["category__name"]
        item["service_code"] = row["category__code"]
        if row["description"]:
            item["description"] = row["description"]
        if row["department__name"] is not None:
            item["agency_responsible"] = row["department__name"]
        if row["category__notice"]:
            item["service_notice"] = row["category__notice"]
        item["requested_datetime"] = local_time(row["requested_s"])
        item["updated_datetime"] = local_time(row["updated_s"])
        if row["expected_s"] is not None:
            item["expected_datetime"] = local_time(row["expected_s"])
        if row["address"]:
            item["address"] = row["address"]
        item["lat"] = round(row["lat"], 6)
        item["long"] = round(row["lon"], 6)
        if row["first_photo_id"]:
            item["media_url"] = photo_url(report_id, row["first_photo_id"])
        if photos is not None:
            item["extended_attributes"] = {
                "detailed_status": row["state"],
                "detailed_status_label": state_label(row["state"]),
                "media_urls": [photo_url(report_id, photo_id) for photo_id in photos.get(report_id, ())],
                "supporters_count": row["supporters_count"],
                "status_history": [
                    present(
                        {
                            "updated_datetime": w3c_datetime(event["created_at"], tz),
                            "status": open311_status(event["to_state"]),
                            "detailed_status": event["to_state"],
                            "detailed_status_label": state_label(event["to_state"]),
                            "description": event["public_text"] or None,
                        }
                    )
                    for event in (history or {}).get(report_id, ())
                ],
                "attributes": request_attributes((answers or {}).get(report_id, ())),
            }
        result.append(item)
    return result


def request_updates(rows) -> list[dict]:
    tz = timezone.get_current_timezone()
    return [
        present(
            {
                "update_id": row["id"],
                "service_request_id": str(row["report_id"]),
                "status": FMS_STATUS.get(row["to_state"] or row["state_then"], "open"),
                "updated_datetime": w3c_datetime(row["created_at"], tz),
                "description": row["public_text"] or None,
            }
        )
        for row in rows
    ]


def token(token_value: str, service_request_id: int | None) -> list[dict]:
    if service_request_id is None:
        return [{"token": token_value}]
    return [{"service_request_id": str(service_request_id), "token": token_value}]
