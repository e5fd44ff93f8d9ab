"""Writing files to storage so that a failure (disk full, read-only, gone) leaves nothing half-written."""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
# What a storage raises when it cannot write: the local disk OSError, object storage boto's errors.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

STORAGE_UNAVAILABLE_MESSAGE = _(
    "Dateien können im Moment nicht gespeichert werden (Speicher voll oder nicht erreichbar). "
    "Bitte versuchen Sie es in einigen Minuten noch einmal; es wurde nichts gespeichert."
)


class StorageUnavailable(OSError):
    """The storage refused a write; answered with 503 (see core.middleware), never a 500."""


def save_whole(storage, name: str, content) -> str:
    """storage.save(); a failed write removes its partial (often 0-byte) file and raises StorageUnavailable.

    Django's FileSystemStorage leaves the file it created behind when a write fails mid-way.
    """
    try:
        name = storage.get_available_name(name)
    except STORAGE_ERRORS as exc:  # object storage away: nothing written yet, nothing to remove
        raise _unavailable(name, exc) from exc
    try:
        return storage.save(name, content)
    except STORAGE_ERRORS as exc:
        remove_quietly(storage, name)
        raise _unavailable(name, exc) from exc


def _unavailable(name: str, exc: Exception) -> StorageUnavailable:
    return StorageUnavailable(getattr(exc, "errno", None), f"{name}: {getattr(exc, 'strerror', None) or exc}")


def remove_quietly(storage, name: str) -> None:
    """Deletes a stored file; a failure is logged, never raised (it is cleanup, not the work itself)."""
    if not name:
        return
    try:
        storage.delete(name)
    except STORAGE_ERRORS:
        logger.warning("file %s could not be deleted", name)


def upload_storage():
    """The storage of raw uploads: private, never given a URL (decision 0018). Locally the same disk as the
    processed photos; on object storage the private ACL whatever MEDIA_PUBLIC_URLS says."""
    return storages["uploads"]


def public_file_url(name: str) -> str | None:
    """A URL of the bucket for a processed (public) file when MEDIA_PUBLIC_URLS is "signed" or "public";
    None when the app serves the file itself. Never called for raw uploads."""
    if settings.MEDIA_PUBLIC_URLS == "app":
        return None
    return default_storage.url(name)
