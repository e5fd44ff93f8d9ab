"""Writing files to storage so that a failure (disk full, read-only, gone) leaves nothing half-written."""

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

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
    name = storage.get_available_name(name)
    try:
        return storage.save(name, content)
    except OSError as exc:
        remove_quietly(storage, name)
        raise StorageUnavailable(exc.errno, f"{name}: {exc.strerror or exc}") from exc


def remove_quietly(storage, name: str) -> None:
    """Deletes a stored file; a failure is logged, never raised (it is cleanup, not the work itself)."""
    if not name:
        return
    try:
        storage.delete(name)
    except OSError:
        logger.warning("file %s could not be deleted", name)
