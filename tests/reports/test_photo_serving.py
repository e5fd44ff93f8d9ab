"""Photos are served from storage only when the report is public and the photo READY and not hidden."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from stadtdigital.reports.models import Photo, PhotoStatus, Visibility

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def store(name, content=JPEG):
        return default_storage.save(name, ContentFile(content))

    return store


def make_photo(report, stored, **fields):
    fields.setdefault("status", PhotoStatus.READY)
    return Photo.objects.create(
        report=report,
        image=stored(f"reports/{report.pk}/full.jpg", JPEG + b"full"),
        thumbnail=stored(f"reports/{report.pk}/thumb.jpg", JPEG + b"thumb"),
        upload=stored(f"reports/{report.pk}/raw.jpg", b"RAW-WITH-EXIF"),
        **fields,
    )


def urls(photo):
    kwargs = {"pk": photo.report_id, "photo_pk": photo.pk}
    return reverse("reports:photo", kwargs=kwargs), reverse("reports:photo-thumbnail", kwargs=kwargs)


def test_serves_processed_image_and_thumbnail_never_the_upload(client, make_report, stored):
    photo = make_photo(make_report(), stored)
    full_url, thumb_url = urls(photo)
    full = client.get(full_url)
    assert full.status_code == 200
    assert full["Content-Type"] == "image/jpeg"
    assert "max-age=86400" in full["Cache-Control"] and "public" in full["Cache-Control"]
    body = b"".join(full.streaming_content)
    assert body.endswith(b"full") and b"RAW" not in body
    thumb = b"".join(client.get(thumb_url).streaming_content)
    assert thumb.endswith(b"thumb")


@pytest.mark.parametrize(
    ("visibility", "fields"),
    [
        (Visibility.HIDDEN, {}),
        (Visibility.PENDING_CONFIRMATION, {}),
        (Visibility.PUBLIC, {"hidden": True}),
        (Visibility.PUBLIC, {"status": PhotoStatus.PENDING}),
        (Visibility.PUBLIC, {"status": PhotoStatus.FAILED}),
    ],
)
def test_404_unless_public_ready_and_visible(client, make_report, stored, visibility, fields):
    photo = make_photo(make_report(visibility=visibility), stored, **fields)
    for address in urls(photo):
        assert client.get(address).status_code == 404


def test_404_for_photo_of_another_report_or_missing_file(client, make_report, stored):
    photo = make_photo(make_report(), stored)
    other = make_report()
    assert (
        client.get(reverse("reports:photo", kwargs={"pk": other.pk, "photo_pk": photo.pk})).status_code == 404
    )
    Photo.objects.filter(pk=photo.pk).update(image="reports/missing.jpg")
    assert client.get(urls(photo)[0]).status_code == 404


@pytest.mark.parametrize("name", ["reports:photo", "reports:photo-thumbnail"])
def test_report_number_too_large_for_the_database_is_404(client, name):
    huge = 2**63
    assert client.get(reverse(name, kwargs={"pk": huge, "photo_pk": 1})).status_code == 404
