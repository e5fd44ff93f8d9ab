"""Photos of reports: a quick check at intake, the full processing in a background task.

Processing decodes the upload with Pillow (JPEG, PNG, WebP, GIF's first frame), refuses decompression
bombs, applies the EXIF orientation, converts colours to sRGB, and re-encodes the *pixels only* into a new
image, so no EXIF (GPS!), XMP, IPTC, ICC profile or comment survives. The result is at most 2048 px on its
long side (JPEG quality 85; PNG when the image has transparency) plus a 400 px thumbnail. The raw upload is
deleted afterwards. A failure marks the photo FAILED with a German reason; the report is never touched.
"""

import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from stadtdigital.reports.models import Photo, PhotoStatus

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


def _fail(photo: Photo, message: str) -> None:
    Photo.objects.filter(pk=photo.pk).update(status=PhotoStatus.FAILED, error=message[:300])


def process_photo(photo_id: int) -> str:
    """Processes one pending photo; returns its new status. Safe to run twice (a READY photo is skipped)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.status != PhotoStatus.PENDING:
        return photo.status if photo else "missing"
    if not photo.upload:
        _fail(photo, _("Das Foto ist nicht angekommen."))
        return PhotoStatus.FAILED
    try:
        with photo.upload.open("rb") as handle:
            image_bytes, thumbnail_bytes, extension, width, height = render(handle)
    except PhotoError as exc:
        _fail(photo, str(exc))
        return PhotoStatus.FAILED
    except Exception:  # noqa: BLE001 - anything else: keep the report, mark the photo, log for the admins
        logger.exception("photo %s could not be processed", photo_id)
        _fail(photo, _("Das Foto konnte nicht verarbeitet werden."))
        return PhotoStatus.FAILED
    base = f"reports/{photo.report_id}/{uuid.uuid4().hex}"
    image_name = default_storage.save(f"{base}{extension}", ContentFile(image_bytes))
    thumbnail_name = default_storage.save(f"{base}-thumb{extension}", ContentFile(thumbnail_bytes))
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
        default_storage.delete(image_name)
        default_storage.delete(thumbnail_name)
        return Photo.objects.get(pk=photo.pk).status
    try:
        default_storage.delete(raw_name)
    except OSError:
        logger.warning("raw upload %s of photo %s could not be deleted", raw_name, photo_id)
    return PhotoStatus.READY
