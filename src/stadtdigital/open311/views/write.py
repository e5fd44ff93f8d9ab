"""Open311 GeoReport v2 POST requests, API keys.

`post_request(request, fmt)` answers `POST /open311/v2/requests.{json,xml}` (read.requests hands POST here).
It only translates: Open311 parameters -> `ReportInput`, `submit_report` (the one code path the web form
uses too: same validation, photo handling, routing, rate limits and notifications), result or
`ReportRejected` -> the specification's response or error list.

Parameters (application/x-www-form-urlencoded or multipart/form-data, UTF-8):
- `api_key` (required; in the body, never in the URL): missing, unknown or revoked -> 403.
- `service_code` (required): unknown -> 404, inactive or missing -> 400.
- location: `lat` + `long`, or `address_string` (located in the city's street directory). `address_id` is
  not supported: accepted only together with `address_string` or `lat` + `long`, otherwise 400.
- `attribute[code]=value`, `attribute[code][]=value` (several values for a multivaluelist).
- optional `description`, `email`, `first_name`, `last_name`, `phone`, `device_id`, `account_id`,
  `media_url` (recorded for staff, never fetched), `media` (image files, multipart only; several allowed).
- `jurisdiction_id`: as on GET, required (400) only where several jurisdictions are configured; an unknown
  one is 404.
- `description` is optional as in the specification when the category has a required question or a photo is
  attached (their content describes the problem); otherwise it is required, and the service definition says
  so in an informational attribute (`variable: false`, code `description`).

Privacy: the web form asks the reporter to consent when they give a name, email or phone. The API cannot
ask, so the client application is responsible: by sending personal data it declares that its user has
consented to the city's privacy notice (this is part of the terms for an API key). The report records
that consent (privacy_consent_at) only when personal data was sent.

A report with an email address waits for the reporter's confirmation by email, as on the web: then the
answer carries a `token` (for `tokens/<token>`) instead of the `service_request_id`.

Status codes: 200 on success (as the specification says, not 201); 400 for bad input (one error per
field and message); 403 for key problems; 404 for an unknown service_code; 429 (with Retry-After) when the
key's hourly limit or the per-address limit of the web form is used up: not a key problem, so not 403,
and 429 tells clients to retry later (RFC 6585), which a generic 400 would not. A key marked
`relays_for_many` (a server posting for many people) is held to its own limit only.

A `token` is signed over the report id (open311/tokens.py), never the report's email confirmation token:
the client must not be able to confirm on the reporter's behalf. Nearby open reports of the category (the
web form's "Schon gemeldet?") are named in `service_notice`.

Output goes through the shared open311/formats.py (same XML writer and JSON form as the GET endpoints).
"""

import re

from django.core.exceptions import BadRequest, SuspiciousOperation, ValidationError
from django.core.validators import URLValidator
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from stadtdigital.core.http import client_ip
from stadtdigital.open311 import formats, idempotency, params, serializers, services, tokens
from stadtdigital.open311.errors import Open311Error
from stadtdigital.reports.models import Category, Source
from stadtdigital.reports.services import intake

ATTRIBUTE_RE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
MAX_MEDIA_URLS = 10
MAX_MEDIA_URL_LENGTH = 2000
NUL = "\x00"
RETRY_AFTER_SECONDS = 3600

# intake's error keys -> the Open311 parameter named in the error description
PARAMETERS = {
    "category": "service_code",
    "location": "lat/long/address_string",
    "description": "description",
    "photos": "media",
    "name": "first_name/last_name",
    "email": "email",
    "phone": "phone",
    "privacy_consent": "privacy_consent",
}


class _Problem(Exception):
    """Errors found before intake: [(code, description)] and the HTTP status."""

    def __init__(self, status: int, errors: list[tuple[int, str]]):
        self.status = status
        self.errors = errors
        super().__init__(errors)


# --- output ---------------------------------------------------------------------------------------------


def _errors(fmt: str, status: int, errors: list[tuple[int, str]]) -> HttpResponse:
    """The specification's error list (one entry per problem) with the shared renderer."""
    response = formats.render(
        fmt, "errors", [{"code": code, "description": text} for code, text in errors], status=status
    )
    if status == 429:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# --- input ------------------------------------------------------------------------------------------------


def _value(data, name: str) -> str:
    """One text parameter ('' when absent)."""
    value = data.get(name, "")
    return value if isinstance(value, str) else ""


def _attributes(data) -> dict:
    """`attribute[code]=v` (one value; repeated -> list) and `attribute[code][]=v` (always a list)."""
    attributes: dict[str, object] = {}
    for key, values in data.lists():
        match = ATTRIBUTE_RE.match(key)
        if not match:
            continue
        code, is_list = match.group(1), bool(match.group(2))
        if is_list or code in attributes:
            previous = attributes.get(code, [])
            attributes[code] = [*(previous if isinstance(previous, list) else [previous]), *values]
        else:
            attributes[code] = values[0] if len(values) == 1 else list(values)
    return attributes


def _media_urls(data) -> list[str]:
    urls = [url.strip() for url in data.getlist("media_url") if url.strip()]
    if len(urls) > MAX_MEDIA_URLS:
        raise _Problem(
            400, [(400, f"media_url: {_('Höchstens %(max)d Adressen.') % {'max': MAX_MEDIA_URLS}}")]
        )
    validate = URLValidator(schemes=["http", "https"])
    for url in urls:
        try:
            if len(url) > MAX_MEDIA_URL_LENGTH:
                raise ValidationError("too long")
            validate(url)
        except ValidationError:
            raise _Problem(
                400, [(400, "media_url: " + _("Bitte eine vollständige http- oder https-Adresse angeben."))]
            ) from None
    return urls


def _to_input(data, files, client) -> intake.ReportInput:
    problems = []
    for name in ("device_id", "account_id", "jurisdiction_id", "address_id", "media_url"):
        if any(NUL in value for value in data.getlist(name)):
            problems.append((400, f"{name}: " + _("Der Wert enthält ein unzulässiges Zeichen (Nullbyte).")))
    if problems:
        raise _Problem(400, problems)
    lat, lon, address = _value(data, "lat"), _value(data, "long"), _value(data, "address_string").strip()
    has_point = bool(lat.strip() or lon.strip())
    if _value(data, "address_id").strip() and not address and not has_point:
        raise _Problem(
            400,
            [
                (
                    400,
                    "address_id: "
                    + _("wird nicht unterstützt. Bitte lat und long oder address_string angeben."),
                )
            ],
        )
    first, last = _value(data, "first_name").strip(), _value(data, "last_name").strip()
    name = " ".join(part for part in (first, last) if part)
    email, phone = _value(data, "email").strip(), _value(data, "phone").strip()
    return intake.ReportInput(
        category=_value(data, "service_code").strip(),
        lat=lat or None,
        lon=lon or None,
        address=address,
        description=_value(data, "description"),
        attributes=_attributes(data),
        photos=[file for file in files.getlist("media") if file],
        reporter_name=name,
        reporter_email=email,
        reporter_phone=phone,
        show_name=False,
        # The client application obtains its user's consent (module docstring); recorded only with
        # personal data, as on the web.
        privacy_consent=bool(name or email or phone),
        source=Source.API,
        api_client=client.name,
        device_id=_value(data, "device_id").strip(),
        account_id=_value(data, "account_id").strip(),
        media_urls=_media_urls(data),
    )


def _rejected_errors(rejected: intake.ReportRejected, code: int = 400) -> list[tuple[int, str]]:
    errors = []
    for key, messages in rejected.errors.items():
        if key.startswith("attributes."):
            parameter = f"attribute[{key.split('.', 1)[1]}]"
        else:
            parameter = PARAMETERS.get(key)
        for message in messages:
            errors.append((code, f"{parameter}: {message}" if parameter else str(message)))
    return errors


# --- the view ---------------------------------------------------------------------------------------------


@csrf_exempt  # an API for other applications, authenticated by api_key, never by a session cookie
@never_cache
def post_request(request, fmt: str) -> HttpResponse:
    """POST requests.{json,xml}: creates a report; see the module docstring."""
    if fmt not in formats.FORMATS:
        return _errors("json", 404, [(404, f"Unknown format {fmt[:20]!r}: use .json or .xml.")])
    if request.method != "POST":
        response = _errors(fmt, 405, [(405, _("Nur POST ist hier möglich."))])
        response["Allow"] = "POST"
        return response
    try:
        data, files = request.POST, request.FILES
    except (MultiPartParserError, SuspiciousOperation, BadRequest, UnicodeDecodeError, ValueError):
        return _errors(fmt, 400, [(400, _("Der Inhalt der Anfrage ist nicht lesbar oder zu groß."))])

    try:  # in the body as the spec has it, or in the query string as on GET
        params.check_jurisdiction(data if "jurisdiction_id" in data else request.GET)
    except Open311Error as error:
        return _errors(fmt, error.status, [(error.status, error.description)])

    client = services.authenticate(data.get("api_key"))
    if client is None:
        text = _("api_key fehlt.") if not data.get("api_key") else _("api_key ist ungültig oder gesperrt.")
        return _errors(
            fmt, 403, [(403, text + " " + _("Ein Schlüssel ist bei der Stadtverwaltung erhältlich."))]
        )
    if not services.record_use(client):
        return _errors(
            fmt,
            429,
            [
                (
                    429,
                    _("Zu viele Anfragen mit diesem api_key (höchstens %(limit)d pro Stunde).")
                    % {"limit": client.rate_limit_per_hour},
                )
            ],
        )

    key = request.headers.get(idempotency.HEADER)
    if key is None:
        return _submit(request, fmt, data, files, client)
    outcome = idempotency.begin(fmt, client, key, idempotency.fingerprint(fmt, data, files))
    if isinstance(outcome, HttpResponse):
        return outcome
    try:
        response = _submit(request, fmt, data, files, client)
    except BaseException:
        outcome.abandon()
        raise
    outcome.finish(response)
    return response


def _submit(request, fmt: str, data, files, client) -> HttpResponse:
    try:
        report_input = _to_input(data, files, client)
        address = None if client.relays_for_many else client_ip(request)
        result = intake.submit_report(report_input, client_ip=address, user=None)
    except _Problem as problem:
        return _errors(fmt, problem.status, problem.errors)
    except intake.RateLimited as limited:
        return _errors(fmt, 429, _rejected_errors(limited, 429))
    except intake.ReportRejected as rejected:
        code = report_input.category
        unknown = (
            "category" in rejected.errors
            and bool(code)
            and NUL not in code
            and not Category.objects.filter(code=code).exists()
        )
        errors = _rejected_errors(rejected)
        if unknown:  # the specification: 404 for a service_code that does not exist
            errors = [(404 if text.startswith("service_code:") else c, text) for c, text in errors]
        return _errors(fmt, 404 if unknown else 400, errors)

    row = (
        {"token": tokens.token_for(result.report.pk)}
        if result.needs_confirmation
        else {"service_request_id": str(result.report.pk)}
    )
    notice = " ".join([result.service_notice, *_duplicates_notice(result.possible_duplicates)]).strip()
    row["service_notice"] = notice or None
    row["account_id"] = report_input.account_id or None
    return formats.render(fmt, "service_requests", [serializers.present(row)])


def _duplicates_notice(report_ids: list[int]) -> list[str]:
    """The web form's "Schon gemeldet?" for API clients: open reports of the category close by."""
    if not report_ids:
        return []
    return [
        ngettext(
            "Ganz in der Nähe ist bereits ein offenes Anliegen dieser Art gemeldet: %(ids)s.",
            "Ganz in der Nähe sind bereits offene Anliegen dieser Art gemeldet: %(ids)s.",
            len(report_ids),
        )
        % {"ids": ", ".join(str(report_id) for report_id in report_ids)}
    ]
