"""OpenAPI 3.0 description of the Open311 GeoReport v2 API, written by hand, served at openapi.json.

One path per endpoint with the format as a path parameter (`services.{format}`, enum json/xml): the
same operation answers both, and the response lists both media types (`application/json` with a schema,
`text/xml` as a string, the content type the server sends). `servers` is relative (`/`), so the document
works on any host. tests/open311/test_openapi.py checks that every path here resolves to a real URL and
every URL pattern of the API is described; scripts/schemathesis.sh runs it against a live server.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from stadtdigital.open311 import params, serializers
from stadtdigital.open311.views import read
from stadtdigital.reports.models import QuestionType, State

BASE = "/open311/v2"
DOCUMENT_VERSION = "2026-12-04"  # the date this document last changed
XML = "text/xml"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


ABSENT = "Left out when there is no value (never null)."


def _optional(kind: str, **extra) -> dict:
    """A field that may be absent: a field without a value is left out, never sent as null."""
    return {"type": kind, "description": ABSENT, **extra}


DATETIME = {"type": "string", "format": "date-time"}
W3C_INPUT = {
    "type": "string",
    "description": "W3C datetime, e.g. 2010-01-01T00:00:00Z, 2010-01-01T00:00:00+01:00 or 2010-01-01.",
    "example": "2025-01-01T00:00:00Z",
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


FORMAT = {"$ref": "#/components/parameters/format"}
JURISDICTION = {"$ref": "#/components/parameters/jurisdiction_id"}
PAGING = [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/page_size"}]

REQUEST_FILTERS = [
    _query(
        "service_request_id",
        {"type": "string", "example": "1,2,3"},
        "Comma-separated request ids (or the parameter repeated); overrides all other filters.",
    ),
    _query(
        "service_code",
        {"type": "string", "example": "strassenschaden"},
        "Comma-separated service codes (or the parameter repeated).",
    ),
    _query("start_date", W3C_INPUT, "Earliest requested_datetime (span with end_date at most 90 days)."),
    _query("end_date", W3C_INPUT, "Latest requested_datetime. Without dates: the last 90 days."),
    _query(
        "status",
        {"type": "string", "example": "open"},
        "Comma list (or the parameter repeated) of open, closed or detailed states: "
        + ", ".join(State.values)
        + ".",
    ),
    _query("updated_after", W3C_INPUT, "Extension: changed after this time."),
    _query("updated_before", W3C_INPUT, "Extension: changed before this time."),
    _query(
        "bbox",
        {"type": "string", "example": "6.9,50.9,7.0,51.0"},
        "Extension: west,south,east,north in WGS84 degrees.",
    ),
    _query("lat", {"type": "number", "minimum": -90, "maximum": 90}, "Extension: latitude (with long)."),
    _query("long", {"type": "number", "minimum": -180, "maximum": 180}, "Extension: longitude (with lat)."),
    _query(
        "radius",
        {"type": "number", "minimum": 1, "maximum": params.MAX_RADIUS_M},
        f"Extension: radius in metres around lat/long (default {read.DEFAULT_RADIUS_M}).",
    ),
    _query("q", {"type": "string"}, "Extension: full-text search in the description and address."),
    {"$ref": "#/components/parameters/extensions"},
    *PAGING,
]


def _responses(ok_schema: dict | None, *statuses: int, ok_description: str = "OK") -> dict:
    responses = {}
    if ok_schema is not None:
        responses["200"] = {
            "description": ok_description,
            "content": {
                "application/json": {"schema": ok_schema},
                XML: {"schema": {"type": "string"}},
            },
        }
    for status in statuses:
        responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    return responses


def _get(summary: str, parameters: list, ok_schema: dict, *statuses: int, description: str = "") -> dict:
    operation = {
        "summary": summary,
        "parameters": parameters,
        "responses": _responses(ok_schema, 400, 404, 405, *statuses),
    }
    if description:
        operation["description"] = description
    return operation


POST_FIELDS = {
    "api_key": {"type": "string", "description": "Required. Issued by the city in its back office."},
    "service_code": {"type": "string"},
    "jurisdiction_id": {"type": "string"},
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "long": {"type": "number", "minimum": -180, "maximum": 180},
    "address_string": {"type": "string"},
    "address_id": {"type": "string"},
    "email": {"type": "string"},
    "device_id": {"type": "string"},
    "account_id": {"type": "string"},
    "first_name": {"type": "string"},
    "last_name": {"type": "string"},
    "phone": {"type": "string"},
    "description": {
        "type": "string",
        "description": (
            "Optional where the service has a required attribute or a media file is attached; otherwise "
            "required (at least 5 characters). The service definition then lists an informational "
            "attribute (variable false) saying so."
        ),
    },
    "media_url": {"type": "string"},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": (
        "Optional, recommended for retries: any unique string per new request (e.g. a UUID). The same key "
        "from the same api_key within 24 hours returns the first answer again (header "
        "`Idempotent-Replayed: true`) and files nothing new; the same key with a different request is 422; "
        "while the first request is still processed, 409 with Retry-After."
    ),
}

POST_DESCRIPTION = (
    "Creates a request. Location by lat+long or address_string. Answers to the service's attributes as "
    "`attribute[code]=value` (several values: `attribute[code][]=value`). multipart/form-data also "
    "accepts one or more image files as `media`."
)


def _schemas() -> dict:
    attribute_value = {
        "type": "object",
        "required": ["key", "name"],
        "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
    }
    status_change = {
        "type": "object",
        "properties": {
            "updated_datetime": DATETIME,
            "status": {"type": "string", "enum": ["open", "closed"]},
            "detailed_status": {"type": "string"},
            "detailed_status_label": {"type": "string"},
            "description": _optional("string"),
        },
    }
    return {
        "Error": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        },
        "Errors": {"type": "array", "minItems": 1, "items": _ref("Error")},
        "Discovery": {
            "type": "object",
            "required": ["changeset", "contact", "key_service", "endpoints"],
            "properties": {
                "changeset": {"type": "string"},
                "contact": {"type": "string"},
                "key_service": {"type": "string"},
                "endpoints": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["specification", "url", "changeset", "type", "formats"],
                        "properties": {
                            "specification": {"type": "string"},
                            "url": {"type": "string"},
                            "changeset": {"type": "string"},
                            "type": {"type": "string", "enum": ["production", "test"]},
                            "formats": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
            },
        },
        "Service": {
            "type": "object",
            "required": ["service_code", "service_name", "metadata", "type"],
            "properties": {
                "service_code": {"type": "string"},
                "service_name": {"type": "string"},
                "description": _optional("string"),
                "metadata": {"type": "boolean"},
                "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                "keywords": _optional("string"),
                "group": _optional("string"),
            },
        },
        "Services": {"type": "array", "items": _ref("Service")},
        "ServiceDefinition": {
            "type": "object",
            "required": ["service_code", "attributes"],
            "properties": {
                "service_code": {"type": "string"},
                "attributes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["variable", "code", "datatype", "required", "order", "description"],
                        "properties": {
                            "variable": {"type": "boolean"},
                            "code": {"type": "string"},
                            "datatype": {"type": "string", "enum": list(QuestionType.values)},
                            "required": {"type": "boolean"},
                            "datatype_description": _optional("string"),
                            "order": {"type": "integer"},
                            "description": {"type": "string"},
                            "values": {"type": "array", "items": attribute_value},
                        },
                    },
                },
            },
        },
        "ServiceRequest": {
            "type": "object",
            "required": ["service_request_id", "status", "service_code", "requested_datetime", "lat", "long"],
            "properties": {
                "service_request_id": {"type": "string", "pattern": "^[0-9]+$"},
                "status": {"type": "string", "enum": ["open", "closed"]},
                "status_notes": _optional("string"),
                "service_name": _optional("string"),
                "service_code": {"type": "string"},
                "description": _optional("string"),
                "agency_responsible": _optional("string"),
                "service_notice": _optional("string"),
                "requested_datetime": DATETIME,
                "updated_datetime": {**DATETIME, "description": ABSENT},
                "expected_datetime": {**DATETIME, "description": ABSENT},
                "address": _optional("string"),
                "address_id": _optional("string"),
                "zipcode": _optional("string"),
                "lat": {"type": "number"},
                "long": {"type": "number"},
                "media_url": _optional("string"),
                "extended_attributes": {
                    "type": "object",
                    "description": "Only with extensions=true.",
                    "properties": {
                        "detailed_status": {"type": "string", "enum": list(State.values)},
                        "detailed_status_label": {"type": "string"},
                        "media_urls": {"type": "array", "items": {"type": "string"}},
                        "supporters_count": {"type": "integer", "minimum": 0},
                        "status_history": {"type": "array", "items": status_change},
                        "attributes": {
                            "type": "array",
                            "description": "Answers to the service's attributes whose answers the city "
                            "publishes (others are never shown). Choice attributes give `values` (key and "
                            "name), others `value`.",
                            "items": {
                                "type": "object",
                                "required": ["code", "description", "datatype"],
                                "properties": {
                                    "code": {"type": "string"},
                                    "description": {"type": "string"},
                                    "datatype": {"type": "string", "enum": list(QuestionType.values)},
                                    "value": {"oneOf": [{"type": "string"}, {"type": "number"}]},
                                    "values": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "key": {"type": "string"},
                                                "name": {"type": "string"},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "ServiceRequests": {"type": "array", "items": _ref("ServiceRequest")},
        "Tokens": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["token"],
                "properties": {
                    "token": {"type": "string"},
                    "service_request_id": {"type": "string", "pattern": "^[0-9]+$"},
                },
            },
        },
        "PostResult": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "service_request_id": {"type": "string", "pattern": "^[0-9]+$"},
                    "token": {"type": "string"},
                    "service_notice": _optional("string"),
                    "account_id": _optional("string"),
                },
            },
        },
        "RequestUpdates": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["update_id", "service_request_id", "status", "updated_datetime"],
                "properties": {
                    "update_id": {"type": "integer"},
                    "service_request_id": {"type": "string", "pattern": "^[0-9]+$"},
                    "status": {"type": "string", "enum": sorted(set(serializers.FMS_STATUS.values()))},
                    "updated_datetime": DATETIME,
                    "description": _optional("string"),
                    "media_url": _optional("string"),
                },
            },
        },
        "PostBody": {
            "type": "object",
            "required": ["api_key"],
            "properties": POST_FIELDS,
            "additionalProperties": True,
        },
        "PostMultipartBody": {
            "type": "object",
            "required": ["api_key"],
            "properties": {
                **POST_FIELDS,
                "media": {"type": "array", "items": {"type": "string", "format": "binary"}},
            },
            "additionalProperties": True,
        },
    }


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": _ref("Errors")},
            XML: {"schema": {"type": "string"}},
        },
    }


def document() -> dict:
    """The OpenAPI 3.0 document as a dict."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "stadtdigital Open311 GeoReport v2",
            "version": DOCUMENT_VERSION,
            "description": (
                "Open311 GeoReport v2 (" + serializers.SPECIFICATION + ") with the extensions page, "
                "page_size, bbox, lat/long/radius, updated_after/updated_before, q, extensions=true and "
                "FixMyStreet's servicerequestupdates. Every endpoint answers as .json or .xml; errors are "
                "the specification's list of code and description in the requested format. "
                "service_request_id is a string of digits in every format. A field without a value is "
                "left out, never null: every field not listed as required may be absent."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {
            f"{BASE}/discovery.{{format}}": {
                "get": _get("Discovery", [FORMAT], _ref("Discovery")),
            },
            f"{BASE}/services.{{format}}": {
                "get": _get("List the services (categories)", [FORMAT, JURISDICTION], _ref("Services")),
            },
            f"{BASE}/services/{{service_code}}.{{format}}": {
                "get": _get(
                    "A service's definition (its extra questions as attributes)",
                    [
                        _path("service_code", {"type": "string", "minLength": 1}, "The service code."),
                        FORMAT,
                        JURISDICTION,
                    ],
                    _ref("ServiceDefinition"),
                ),
            },
            f"{BASE}/requests.{{format}}": {
                "get": _get(
                    "List requests (default: the last 90 days, at most 1000)",
                    [FORMAT, JURISDICTION, *REQUEST_FILTERS],
                    _ref("ServiceRequests"),
                ),
                "post": {
                    "summary": "Create a request",
                    "description": POST_DESCRIPTION,
                    "parameters": [FORMAT, JURISDICTION, IDEMPOTENCY_KEY],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": _ref("PostBody")},
                            "multipart/form-data": {"schema": _ref("PostMultipartBody")},
                        },
                    },
                    "responses": _responses(_ref("PostResult"), 400, 403, 404, 405, 409, 422, 429, 503),
                },
            },
            f"{BASE}/requests/{{service_request_id}}.{{format}}": {
                "get": _get(
                    "One request",
                    [
                        _path(
                            "service_request_id",
                            {"type": "string", "pattern": "^[1-9][0-9]{0,17}$"},
                            "The request's id.",
                        ),
                        FORMAT,
                        JURISDICTION,
                        {"$ref": "#/components/parameters/extensions"},
                    ],
                    _ref("ServiceRequests"),
                ),
            },
            f"{BASE}/tokens/{{token}}.{{format}}": {
                "get": _get(
                    "The request id for a token (once the reporter has confirmed by email)",
                    [
                        _path("token", {"type": "string", "minLength": 1}, "The token from POST."),
                        FORMAT,
                        JURISDICTION,
                    ],
                    _ref("Tokens"),
                ),
            },
            f"{BASE}/servicerequestupdates.{{format}}": {
                "get": _get(
                    "Public status changes (FixMyStreet extension)",
                    [
                        FORMAT,
                        JURISDICTION,
                        _query("start_date", W3C_INPUT, "Earliest change (span at most 90 days)."),
                        _query("end_date", W3C_INPUT, "Latest change."),
                        *PAGING,
                    ],
                    _ref("RequestUpdates"),
                ),
            },
        },
        "components": {
            "parameters": {
                "format": _path("format", {"type": "string", "enum": ["json", "xml"]}, "Response format."),
                "jurisdiction_id": _query(
                    "jurisdiction_id",
                    {"type": "string"},
                    "Required only where the server serves more than one jurisdiction.",
                ),
                "page": _query(
                    "page",
                    {"type": "integer", "minimum": 1, "maximum": read.MAX_PAGE},
                    "Extension: page number.",
                ),
                "page_size": _query(
                    "page_size",
                    {"type": "integer", "minimum": 1, "maximum": read.MAX_PAGE_SIZE},
                    f"Extension: results per page (default {read.DEFAULT_LIMIT}).",
                ),
                "extensions": _query(
                    "extensions",
                    {"type": "string", "enum": ["true", "false"]},
                    "Extension: true adds extended_attributes.",
                ),
            },
            "responses": {
                f"E{status}": _error_response(text)
                for status, text in {
                    400: "Bad request: an invalid parameter (the error names it).",
                    403: "api_key missing, unknown or revoked.",
                    404: "Not found (resource, jurisdiction or format).",
                    405: "Method not allowed.",
                    409: "A request with this Idempotency-Key is still being processed; retry shortly.",
                    422: "This Idempotency-Key was used for a different request within 24 hours.",
                    429: "Rate limit of the api_key or of the reporter's address used up.",
                    503: "Database or file storage away for a moment; nothing was stored. See Retry-After.",
                }.items()
            },
            "schemas": _schemas(),
        },
    }


@require_safe
def openapi_json(request):
    response = JsonResponse(document(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
