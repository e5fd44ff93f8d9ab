"""Open311 GeoReport v2: POST the report to another server's `requests.json` with its api_key and
jurisdiction_id; our category code is mapped to its service code (`target.service_codes`, else the same
code) and our questions' answers to its attributes (same codes). Stores its service_request_id, or the
token it answered with (resolved later by the status-back poll through `tokens/<token>.json`).

Every POST carries an `Idempotency-Key` (the dispatch's UUID, the same on retries), so a server that
honours it never creates the report twice when our first attempt timed out after it had stored it."""

import json
import urllib.parse

from stadtdigital.reports.sending.base import SendError, SendResult
from stadtdigital.reports.sending.credentials import secret_of
from stadtdigital.reports.sending.document import photo_urls, report_answers
from stadtdigital.reports.sending.http import get_json, request


def base_url(target) -> str:
    return target.endpoint.rstrip("/")


def service_code(target, category_code: str) -> str:
    return (target.service_codes or {}).get(category_code) or category_code


def form_fields(report, target) -> list[tuple[str, str]]:
    fields = [("service_code", service_code(target, report.category.code))]
    api_key = secret_of(target)
    if api_key:
        fields.append(("api_key", api_key))
    if target.jurisdiction_id:
        fields.append(("jurisdiction_id", target.jurisdiction_id))
    fields += [("lat", f"{report.lat:.6f}"), ("long", f"{report.lon:.6f}")]
    if report.address:
        fields.append(("address_string", report.address))
    fields.append(("description", report.description or report.category.name))
    for answer in report_answers(report, target):
        value = answer["value"]
        if isinstance(value, list):
            fields += [(f"attribute[{answer['code']}][]", str(item)) for item in value]
        else:
            fields.append((f"attribute[{answer['code']}]", str(value)))
    urls = photo_urls(report)
    if urls:
        fields.append(("media_url", urls[0]))
    return fields


def send(report, target, *, dispatch=None) -> SendResult:
    body = urllib.parse.urlencode(form_fields(report, target)).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if dispatch is not None:
        headers["Idempotency-Key"] = str(dispatch.idempotency_key)
    try:
        _, answer = request("POST", f"{base_url(target)}/requests.json", data=body, headers=headers)
    except SendError as exc:  # name what we sent, so staff can fix the mapping or the key
        code = service_code(target, report.category.code)
        raise SendError(f"{exc.message} (gesendet: service_code={code})", permanent=exc.permanent) from exc
    try:
        rows = json.loads(answer)
        row = rows[0] if isinstance(rows, list) else rows
        external_id = str(row.get("service_request_id") or "")
        token = str(row.get("token") or "")
    except (ValueError, AttributeError, IndexError, TypeError) as exc:
        raise SendError(f"Unerwartete Antwort von {target.endpoint}: {answer[:300]!r}") from exc
    if not external_id and not token:
        raise SendError(f"Antwort ohne service_request_id und token: {answer[:300]!r}")
    note = f"Per Open311 an „{target.name}“ übermittelt"
    note += f" (Vorgang {external_id})." if external_id else f" (Token {token}, Nummer folgt)."
    return SendResult(external_id=external_id[:200], token=token[:200], note=note)


def resolve_token(target, token: str) -> str:
    """The service_request_id for a token, or "" while the other server has none yet."""
    rows = get_json(
        f"{base_url(target)}/tokens/{urllib.parse.quote(token, safe='')}.json", _jurisdiction(target)
    )
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        return str(rows[0].get("service_request_id") or "")
    return ""


def _jurisdiction(target) -> dict:
    return {"jurisdiction_id": target.jurisdiction_id} if target.jurisdiction_id else {}
