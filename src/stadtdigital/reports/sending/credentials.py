"""Credentials of send targets: encrypted at rest with Fernet, keyed from SECRET_KEY, or read from the
environment. Never shown again after they were entered (decision 0023).

Rotating SECRET_KEY makes stored credentials unreadable: they must be entered again (the target's send
fails with a clear error until then), or kept in environment variables (`secret_env`) instead.
"""

import base64
import hashlib
import hmac
import os
import secrets as pysecrets  # stdlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from stadtdigital.reports.sending.base import SendError

_KEY_CONTEXT = b"stadtdigital.reports.sending.credentials.v1"


def _fernet() -> Fernet:
    key = hashlib.sha256(_KEY_CONTEXT + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def set_secret(target, value: str) -> None:
    target.secret_encrypted = encrypt(value)


def has_secret(target) -> bool:
    return bool(target.secret_encrypted or target.secret_env)


def secret_of(target) -> str:
    """The target's credential in plain text (only for sending). Environment variable first."""
    if target.secret_env:
        value = os.environ.get(target.secret_env, "")
        if not value:
            raise SendError(f"Umgebungsvariable {target.secret_env} ist nicht gesetzt.", permanent=True)
        return value
    if not target.secret_encrypted:
        return ""
    try:
        return _fernet().decrypt(target.secret_encrypted.encode()).decode()
    except InvalidToken as exc:
        raise SendError(
            "Gespeicherter Zugangsschlüssel ist nicht lesbar (SECRET_KEY geändert?); bitte neu eingeben.",
            permanent=True,
        ) from exc


def new_inbound_secret(target) -> str:
    """Creates the secret a body uses to report status changes back; only its hash is stored."""
    value = pysecrets.token_urlsafe(32)
    target.inbound_secret_hash = hashlib.sha256(value.encode()).hexdigest()
    return value


def inbound_secret_matches(target, value: str) -> bool:
    if not target.inbound_secret_hash or not value:
        return False
    return hmac.compare_digest(target.inbound_secret_hash, hashlib.sha256(value.encode()).hexdigest())
