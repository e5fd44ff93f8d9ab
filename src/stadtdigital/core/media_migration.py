"""Copying an installation's media files from local disk to object storage (decision 0018).

Resumable: a file already in the bucket with the same checksum is skipped, so a second run after an
interruption only copies what is missing or different. Every copied file is checked afterwards: the bucket's
MD5 (the ETag of a single-part upload) or, when the ETag is not an MD5 (multipart), the SHA-256 of the bytes
read back. Raw uploads go to the private "uploads" storage, everything else to "default".
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from stadtdigital.core.files import STORAGE_ERRORS, upload_storage

RAW_UPLOAD_PREFIX = "reports/incoming/"
CHUNK = 1024 * 1024


class StorageNotConfigured(Exception):
    """No object storage configured, or the bucket cannot be reached: nothing was copied."""


@dataclass
class MigrationSummary:
    copied: int = 0
    skipped: int = 0  # already there with the same checksum
    replaced: int = 0  # there with different bytes: copied again
    bytes_copied: int = 0
    mismatched: list[str] = field(default_factory=list)  # checksum differs after the upload
    failed: list[str] = field(default_factory=list)  # the storage refused the upload

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.failed


def local_files(root: Path) -> list[str]:
    """Storage names (relative, with "/") of every file under root, sorted so that runs are repeatable."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def _digests(stream) -> tuple[str, str]:
    md5, sha256 = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    while chunk := stream.read(CHUNK):
        md5.update(chunk)
        sha256.update(chunk)
    return md5.hexdigest(), sha256.hexdigest()


def _stored_matches(storage, name: str, md5: str, sha256: str) -> bool | None:
    """True/False whether the stored object has these bytes; None when it does not exist."""
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        return None
    with handle:
        etag = (getattr(getattr(handle, "obj", None), "e_tag", "") or "").strip('"')
        if etag and "-" not in etag:  # a single-part upload's ETag is the MD5 of its bytes
            return etag == md5
        return _digests(handle)[1] == sha256  # multipart ETag or local disk: read the bytes back


def check_target() -> None:
    """Raises StorageNotConfigured unless object storage is configured and its bucket answers."""
    location = settings.MEDIA_S3_LOCATION
    if location is None:
        raise StorageNotConfigured(
            "Kein Objektspeicher konfiguriert: MEDIA_STORAGE_URL (oder AWS_STORAGE_BUCKET_NAME) setzen."
        )
    try:
        default_storage.connection.meta.client.head_bucket(Bucket=location.bucket)
    except STORAGE_ERRORS as exc:
        raise StorageNotConfigured(
            f"Bucket {location.bucket!r} ist nicht erreichbar ({location.endpoint or 'AWS'}): {exc}"
        ) from exc


def raw_upload_names() -> set[str]:
    from stadtdigital.reports.models import Photo  # core must not import apps at module level

    return set(Photo.objects.exclude(upload="").values_list("upload", flat=True))


def migrate_media(
    root: Path, *, dry_run: bool = False, progress: Callable[[int, int, str], None] | None = None
) -> MigrationSummary:
    names = local_files(root)
    raw = raw_upload_names()
    summary = MigrationSummary()
    for done, name in enumerate(names, start=1):
        storage = upload_storage() if name.startswith(RAW_UPLOAD_PREFIX) or name in raw else default_storage
        _copy_one(storage, root / name, name, summary, dry_run)
        if progress:
            progress(done, len(names), name)
    return summary


def _copy_one(storage, path: Path, name: str, summary: MigrationSummary, dry_run: bool) -> None:
    with path.open("rb") as local:
        md5, sha256 = _digests(local)
    try:
        existing = _stored_matches(storage, name, md5, sha256)
        if existing:
            summary.skipped += 1
            return
        if dry_run:
            summary.copied += 1
            return
        if existing is False:
            storage.delete(name)  # a partial or different object: replaced (file_overwrite is off)
        with path.open("rb") as local:
            stored_name = storage.save(name, File(local, name=name))
        if stored_name != name or not _stored_matches(storage, name, md5, sha256):
            summary.mismatched.append(name)
            return
    except STORAGE_ERRORS as exc:
        summary.failed.append(f"{name}: {exc}")
        return
    if existing is False:
        summary.replaced += 1
    else:
        summary.copied += 1
    summary.bytes_copied += path.stat().st_size
