"""Photo processing: metadata stripped, orientation applied, resized; failures never touch the report."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from stadtdigital.reports.models import Photo, PhotoStatus
from stadtdigital.reports.services import photos
from tests.reports.test_intake_helpers import exif_with_gps_and_orientation, jpeg_bytes, png_bytes


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def pending_photo(report, content: bytes, name="raw.jpg") -> Photo:
    stored = default_storage.save(f"reports/incoming/{name}", ContentFile(content))
    return Photo.objects.create(report=report, upload=stored, status=PhotoStatus.PENDING)


def test_stored_photo_has_no_metadata_is_rotated_and_resized(make_report):
    report = make_report()
    # 3000 x 1000 landscape with orientation 6 (shown rotated 90°), GPS, camera make, XMP and a comment.
    raw = jpeg_bytes(
        size=(3000, 1000),
        exif=exif_with_gps_and_orientation(6),
        comment=b"Aufgenommen bei Familie Muster",
        xmp=b"<x:xmpmeta><rdf:Description gps='49,9'/></x:xmpmeta>",
    )
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the test image really carries GPS
    photo = pending_photo(report, raw)
    assert photos.process_photo(photo.pk) == PhotoStatus.READY
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY and photo.error == ""
    assert (photo.width, photo.height) == (683, 2048)  # rotated to portrait, long side 2048
    assert not photo.upload and not default_storage.exists("reports/incoming/raw.jpg")
    for field in (photo.image, photo.thumbnail):
        with default_storage.open(field.name) as handle:
            stored = Image.open(handle)
            stored.load()
            assert stored.format == "JPEG"
            assert len(stored.getexif()) == 0
            assert not stored.getexif().get_ifd(0x8825)
            assert "xmp" not in stored.info and "XML:com.adobe.xmp" not in stored.info
            assert (
                "comment" not in stored.info
                and "exif" not in stored.info
                and "icc_profile" not in stored.info
            )
            raw_bytes = default_storage.open(field.name).read()
            assert (
                b"Muster" not in raw_bytes and b"Testkamera" not in raw_bytes and b"xmpmeta" not in raw_bytes
            )
    with default_storage.open(photo.thumbnail.name) as handle:
        assert max(Image.open(handle).size) == 400
    assert str(report.pk) in photo.image.name


def test_png_with_transparency_stays_png(make_report):
    photo = pending_photo(make_report(), png_bytes(size=(50, 40), mode="RGBA"), "raw.png")
    photos.process_photo(photo.pk)
    photo.refresh_from_db()
    assert photo.image.name.endswith(".png") and (photo.width, photo.height) == (50, 40)


def test_text_renamed_jpg_fails_the_photo_but_keeps_the_report(make_report):
    report = make_report()
    photo = pending_photo(report, b"kein Bild, nur Text")
    assert photos.process_photo(photo.pk) == PhotoStatus.FAILED
    photo.refresh_from_db()
    report.refresh_from_db()
    assert photo.status == PhotoStatus.FAILED and "kein lesbares Foto" in photo.error
    assert report.description and report.is_open


def test_decompression_bomb_fails_in_processing_too(make_report):
    photo = pending_photo(make_report(), png_bytes(size=(10_000, 10_000), mode="1"), "bomb.png")
    assert photos.process_photo(photo.pk) == PhotoStatus.FAILED
    photo.refresh_from_db()
    assert "Megapixel" in photo.error


def test_pillow_bomb_header_is_rejected_quickly():
    # A PNG header that claims 100000 x 100000 pixels (and has no real data behind it).
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
    with pytest.raises(photos.PhotoError, match="Megapixel"):
        photos.check_upload(io.BytesIO(data))


def test_unexpected_error_marks_the_photo_failed(make_report, monkeypatch):
    report = make_report()
    photo = pending_photo(report, jpeg_bytes())

    monkeypatch.setattr(photos, "render", lambda handle: 1 / 0)
    assert photos.process_photo(photo.pk) == PhotoStatus.FAILED
    photo.refresh_from_db()
    assert photo.error == "Das Foto konnte nicht verarbeitet werden."
    assert report.__class__.objects.filter(pk=report.pk).exists()


def test_processing_twice_is_harmless(make_report):
    photo = pending_photo(make_report(), jpeg_bytes())
    photos.process_photo(photo.pk)
    assert photos.process_photo(photo.pk) == PhotoStatus.READY


def test_first_frame_of_gif(make_report):
    out = io.BytesIO()
    frames = [Image.new("P", (20, 10), color) for color in (1, 2)]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    photo = pending_photo(make_report(), out.getvalue(), "anim.gif")
    assert photos.process_photo(photo.pk) == PhotoStatus.READY


def test_task_runs_the_service(make_report):
    from stadtdigital.reports.tasks.photos import process_photo_task

    photo = pending_photo(make_report(), jpeg_bytes())
    result = process_photo_task.enqueue(photo.pk)
    assert result.return_value == PhotoStatus.READY
