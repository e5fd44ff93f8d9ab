"""Photos of reports: a quick check at intake, the full processing in a background task.

Processing decodes the upload with Pillow (JPEG, PNG, WebP, GIF's first frame), refuses decompression
bombs, applies the EXIF orientation, converts colours to sRGB, and re-encodes the *pixels only* into a new
image, so no EXIF (GPS!), XMP, IPTC, ICC profile or comment survives. The result is at most 2048 px on its
long side (JPEG quality 85; PNG when the image has transparency) plus a 400 px thumbnail. The raw upload is
deleted afterwards. A passing failure (disk full, storage away) is retried with back-off; a final failure
marks the photo FAILED with a German reason and deletes the raw upload; the report is never touched.
"""

import datetime
import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from stadtdigital.core.files import STORAGE_ERRORS, remove_quietly, save_whole, upload_storage
from stadtdigital.reports.models import Photo, PhotoStatus, Report

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_SIDE = 2048
THUMBNAIL_SIDE = 400
JPEG_QUALITY = 85


class PhotoError(Exception):
    """A photo that cannot be used; the message is German and safe to show."""


@dataclass(frozen=True)
class CheckedPhoto:
    format: str
    width: int
    height: int


def _open(file) -> Image.Image:
    """Opens an image lazily (reads the header only), turning Pillow's errors into PhotoError."""
    max_pixels = settings.REPORT_MAX_PHOTO_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            image.format  # noqa: B018 - header parsed
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            _("Das Bild ist zu groß (mehr als %(mp)d Megapixel).") % {"mp": max_pixels // 1_000_000}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoError(_("Die Datei ist kein lesbares Foto (erlaubt: JPEG, PNG, WebP, GIF).")) from None
    if image.format not in ALLOWED_FORMATS:
        raise PhotoError(_("Dieses Bildformat wird nicht angenommen (erlaubt: JPEG, PNG, WebP, GIF)."))
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoError(_("Die Datei ist kein lesbares Foto (erlaubt: JPEG, PNG, WebP, GIF)."))
    if width * height > max_pixels:
        raise PhotoError(
            _("Das Bild ist zu groß (mehr als %(mp)d Megapixel).") % {"mp": max_pixels // 1_000_000}
        )
    return image


def check_upload(file) -> CheckedPhoto:
    """The quick check at intake: a real JPEG/PNG/WebP/GIF within the pixel limit. Rewinds the file."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        image = _open(file)
        return CheckedPhoto(ALLOWED_FORMATS[image.format], image.width, image.height)
    finally:
        file.seek(position)


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def render(file) -> tuple[bytes, bytes, str, int, int]:
    """(image bytes, thumbnail bytes, file extension, width, height) of a clean copy of the upload."""
    image = _open(file)
    try:
        if image.format in ("JPEG", "MPO"):
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode big JPEGs at a reduced scale: fast, less memory
        image.seek(0)  # GIF/WebP animations: the first frame
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoError(_("Das Foto ist beschädigt und konnte nicht gelesen werden.")) from exc
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    image = _to_srgb(image)
    # A brand-new image from the pixels alone: nothing of the original's metadata can survive.
    clean = Image.new(mode, image.size)
    clean.paste(image)
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = clean.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)

    def encode(picture: Image.Image) -> bytes:
        out = io.BytesIO()
        if has_alpha:
            picture.save(out, "PNG", optimize=True)
        else:
            picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        return out.getvalue()

    return encode(clean), encode(thumbnail), (".png" if has_alpha else ".jpg"), clean.width, clean.height


RETRY = "retry"


def _fail(photo: Photo, message: str) -> None:
    """Final: the photo shows as failed in the back office, and its raw upload (with EXIF) is deleted."""
    Photo.objects.filter(pk=photo.pk, status=PhotoStatus.PENDING).update(
        status=PhotoStatus.FAILED, error=message[:300], upload=""
    )
    remove_quietly(upload_storage(), photo.upload.name)


def process_photo(photo_id: int, *, final_attempt: bool = True) -> str:
    """Processes one pending photo; returns its new status, or RETRY for a passing failure (disk full,
    storage away) when this is not the final attempt. Safe to run twice, also after a crash half-way:
    a photo that is no longer PENDING is skipped, and only the run that marks it READY keeps its files."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.status != PhotoStatus.PENDING:
        return photo.status if photo else "missing"
    if not photo.upload:
        _fail(photo, _("Das Foto ist nicht angekommen."))
        return PhotoStatus.FAILED
    try:
        with upload_storage().open(photo.upload.name, "rb") as handle:
            image_bytes, thumbnail_bytes, extension, width, height = render(handle)
    except PhotoError as exc:
        _fail(photo, str(exc))
        return PhotoStatus.FAILED
    except FileNotFoundError:
        _fail(photo, _("Das Foto ist nicht angekommen."))
        return PhotoStatus.FAILED
    except Exception:  # noqa: BLE001 - storage or memory trouble: try again later, then give up
        logger.exception("photo %s could not be processed", photo_id)
        return _retry_or_fail(photo, final_attempt)
    base = f"reports/{photo.report_id}/{uuid.uuid4().hex}"
    try:
        image_name = save_whole(default_storage, f"{base}{extension}", ContentFile(image_bytes))
    except STORAGE_ERRORS:
        logger.exception("photo %s could not be stored", photo_id)
        return _retry_or_fail(photo, final_attempt)
    try:
        thumbnail_name = save_whole(default_storage, f"{base}-thumb{extension}", ContentFile(thumbnail_bytes))
    except STORAGE_ERRORS:
        logger.exception("thumbnail of photo %s could not be stored", photo_id)
        remove_quietly(default_storage, image_name)
        return _retry_or_fail(photo, final_attempt)
    raw_name = photo.upload.name
    updated = Photo.objects.filter(pk=photo.pk, status=PhotoStatus.PENDING).update(
        image=image_name,
        thumbnail=thumbnail_name,
        width=width,
        height=height,
        status=PhotoStatus.READY,
        error="",
        upload="",
    )
    if not updated:  # processed concurrently by another worker: drop our copies
        remove_quietly(default_storage, image_name)
        remove_quietly(default_storage, thumbnail_name)
        return Photo.objects.get(pk=photo.pk).status
    remove_quietly(upload_storage(), raw_name)
    # The photo now shows on the report's page, in Open311 and open data: their validators must move on.
    Report.objects.filter(pk=photo.report_id).update(updated_at=timezone.now())
    return PhotoStatus.READY


def _retry_or_fail(photo: Photo, final_attempt: bool) -> str:
    if not final_attempt:
        return RETRY
    _fail(photo, _("Das Foto konnte nicht verarbeitet werden."))
    return PhotoStatus.FAILED


def processing_tasks(statuses: tuple[str, ...]) -> dict[int, int]:
    """Photo id -> number of its processing tasks in the given task statuses (READY, RUNNING, FAILED)."""
    from stadtdigital.reports.tasks.photos import process_photo_task

    counts: dict[int, int] = {}
    tasks = DBTaskResult.objects.filter(task_path=process_photo_task.module_path, status__in=statuses)
    for args_kwargs in tasks.values_list("args_kwargs", flat=True):
        args = args_kwargs.get("args") or []
        if args and isinstance(args[0], int):
            counts[args[0]] = counts.get(args[0], 0) + 1
    return counts


def requeue_stuck_photos(now=None) -> int:
    """Watchdog job: a PENDING photo without a queued or running task (the app server died between storing
    the report and queueing the task, or its task was given up) is queued again, or given up after
    TASK_MAX_ATTEMPTS failed tasks. Returns how many photos were queued again."""
    from stadtdigital.reports.tasks.photos import process_photo_task

    now = now or timezone.now()
    settled = now - datetime.timedelta(seconds=settings.TASK_WORKER_TIMEOUT_SECONDS)
    pending = list(
        Photo.objects.filter(status=PhotoStatus.PENDING, created_at__lt=settled).values_list("pk", flat=True)
    )
    if not pending:
        return 0
    active = processing_tasks(("READY", "RUNNING"))
    failed = processing_tasks(("FAILED",))
    queued = 0
    for photo_id in pending:
        if photo_id in active:
            continue
        if failed.get(photo_id, 0) >= settings.TASK_MAX_ATTEMPTS:
            photo = Photo.objects.filter(pk=photo_id).first()
            if photo is not None:
                _fail(photo, _("Das Foto konnte nicht verarbeitet werden."))
            continue
        process_photo_task.enqueue(photo_id)
        queued += 1
    if queued:
        logger.warning("%d pending photo(s) without a task queued again", queued)
    return queued
