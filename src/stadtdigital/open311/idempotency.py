"""`Idempotency-Key` on POST requests: a client that retries (the connection dropped after the report was
stored) gets the first answer again and nothing is filed twice.

The same key from the same API client within 24 hours returns the first answer (header
`Idempotent-Replayed: true`) and stores nothing new; the same key with a different request is 422; a retry
while the first request is still being processed is 409 (retry shortly). Answers of 5xx are not kept, so a
retry after a server problem is processed again. A reservation whose request died with its process is
taken over after RESERVATION_TIMEOUT. See decision 0022.
"""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtdigital.open311.errors import error_response
from stadtdigital.open311.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT_FOR = datetime.timedelta(hours=24)
RESERVATION_TIMEOUT = datetime.timedelta(minutes=2)
MAX_KEY_LENGTH = 255


def fingerprint(fmt: str, data, files) -> str:
    """SHA-256 over the format, every parameter and every uploaded file's content, in a stable order."""
    digest = hashlib.sha256(fmt.encode())
    for name in sorted(data.keys()):
        for value in data.getlist(name):
            digest.update(f"\0{name}={value}".encode())
    for name in sorted(files.keys()):
        for upload in files.getlist(name):
            digest.update(f"\0file:{name}:{upload.name}:".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


class Reservation:
    def __init__(self, record: IdempotentRequest):
        self.record = record

    def finish(self, response: HttpResponse) -> None:
        if response.status_code >= 500:
            self.abandon()
            return
        IdempotentRequest.objects.filter(pk=self.record.pk).update(
            status=response.status_code, content_type=response.get("Content-Type", ""), body=response.content
        )

    def abandon(self) -> None:
        IdempotentRequest.objects.filter(pk=self.record.pk, status=0).delete()


def begin(fmt: str, client, key: str, request_fingerprint: str) -> HttpResponse | Reservation:
    """The stored (or a conflict) answer for a key seen before, else a reservation of the key."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return error_response(
            fmt,
            400,
            _("Der Header Idempotency-Key muss 1 bis %(limit)d druckbare ASCII-Zeichen lang sein.")
            % {"limit": MAX_KEY_LENGTH},
        )
    now = timezone.now()
    IdempotentRequest.objects.filter(client=client, key=key, created_at__lt=now - KEPT_FOR).delete()
    IdempotentRequest.objects.filter(
        client=client, key=key, status=0, created_at__lt=now - RESERVATION_TIMEOUT
    ).delete()
    try:
        with transaction.atomic():
            return Reservation(
                IdempotentRequest.objects.create(
                    client=client, key=key, fingerprint=request_fingerprint, created_at=now
                )
            )
    except IntegrityError:
        pass
    earlier = IdempotentRequest.objects.filter(client=client, key=key).first()
    if earlier is None:  # removed in between: treat as a conflict the client can retry
        earlier = IdempotentRequest(client=client, key=key, fingerprint=request_fingerprint)
    if earlier.fingerprint != request_fingerprint:
        return error_response(
            fmt,
            422,
            _(
                "Dieser Idempotency-Key wurde in den letzten 24 Stunden schon für eine andere Anfrage "
                "benutzt; bitte für jede neue Meldung einen neuen Schlüssel senden."
            ),
        )
    if earlier.status == 0:
        response = error_response(
            fmt,
            409,
            _("Eine Anfrage mit diesem Idempotency-Key wird gerade bearbeitet; bitte gleich wiederholen."),
        )
        response["Retry-After"] = "2"
        return response
    response = HttpResponse(bytes(earlier.body), status=earlier.status, content_type=earlier.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def forget_expired() -> int:
    """Daily job: answers older than 24 hours are no longer needed."""
    deleted, _counts = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
