"""Webhook: the report document (schema `report-v1`, docs/webhook.md) as JSON, POSTed to the target's
URL and signed with HMAC-SHA256 over the exact body with the target's secret:

    X-Stadtdigital-Signature: sha256=<hex digest>
    X-Stadtdigital-Timestamp: <unix seconds>   (also signed: the digest covers "<timestamp>.<body>")
    Idempotency-Key: <the dispatch's UUID>     (the same on every retry of one sending)

Any 2xx answer counts as received; a JSON answer may carry {"id": "..."} as the receiver's id."""

import hashlib
import hmac
import json
import time

from stadtdigital.reports.sending.base import SendError, SendResult
from stadtdigital.reports.sending.credentials import secret_of
from stadtdigital.reports.sending.document import report_document
from stadtdigital.reports.sending.http import request


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def send(report, target, *, dispatch=None) -> SendResult:
    secret = secret_of(target)
    if not secret:
        raise SendError(f"Für „{target.name}“ ist kein Signaturschlüssel eingetragen.", permanent=True)
    body = json.dumps(report_document(report, dispatch=dispatch), ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Stadtdigital-Signature": signature(secret, timestamp, body),
        "X-Stadtdigital-Timestamp": timestamp,
    }
    if dispatch is not None:
        headers["Idempotency-Key"] = str(dispatch.idempotency_key)
    _, answer = request("POST", target.endpoint, data=body, headers=headers)
    external_id = ""
    try:
        parsed = json.loads(answer) if answer else {}
        if isinstance(parsed, dict) and parsed.get("id") is not None:
            external_id = str(parsed["id"])[:200]
    except ValueError:
        pass
    return SendResult(external_id=external_id, note=f"Per Webhook an „{target.name}“ übermittelt.")
