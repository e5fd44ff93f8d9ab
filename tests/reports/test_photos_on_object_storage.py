"""Photos on S3-compatible object storage (decision 0018), against moto in server mode: a report's photo is
stored, processed and served from the bucket; the raw upload is private and gone after processing; with
MEDIA_PUBLIC_URLS=signed/public the photo view redirects to the bucket, and a raw upload is never readable
without the keys."""

import urllib.error
import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from stadtdigital.core.files import upload_storage
from stadtdigital.reports.models import PhotoStatus
from stadtdigital.reports.services.intake import ReportInput, submit_report
from tests.reports.test_intake_helpers import exif_with_gps_and_orientation, jpeg_bytes
from tests.s3_server import use_bucket

pytestmark = pytest.mark.django_db


def _public_grant(server, bucket, key) -> bool:
    grants = server.client().get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(grant["Grantee"].get("URI", "").endswith("/global/AllUsers") for grant in grants)


def _anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback moto server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _report_with_photo(category, django_capture_on_commit_callbacks, raw: bytes):
    upload = SimpleUploadedFile("IMG_0001.JPG", raw, content_type="image/jpeg")
    data = ReportInput(
        category="schlagloch", lat=49.142, lon=9.21, description="Tiefes Loch", photos=[upload]
    )
    with django_capture_on_commit_callbacks(execute=True):
        return submit_report(data, client_ip="203.0.113.7").report


def test_photo_is_stored_processed_and_served_from_the_bucket(
    s3_server, settings, category, client, django_capture_on_commit_callbacks
):
    bucket = s3_server.new_bucket()
    use_bucket(settings, s3_server, bucket)
    raw = jpeg_bytes(size=(3000, 1000), exif=exif_with_gps_and_orientation(6))
    report = _report_with_photo(category, django_capture_on_commit_callbacks, raw)
    photo = report.photos.get()
    assert photo.status == PhotoStatus.READY and not photo.upload
    objects = s3_server.objects(bucket)
    assert set(objects) == {photo.image.name, photo.thumbnail.name}  # the raw upload was deleted
    assert not any(_public_grant(s3_server, bucket, key) for key in objects)  # "app": all private
    response = client.get(reverse("reports:photo", kwargs={"pk": report.pk, "photo_pk": photo.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == objects[photo.image.name]
    with default_storage.open(photo.image.name) as handle:
        assert Image.open(handle).size == (683, 2048)


def test_raw_upload_is_private_even_when_photos_are_public(s3_server, settings, category):
    bucket = s3_server.new_bucket()
    use_bucket(settings, s3_server, bucket, public_urls="public")
    raw_name = upload_storage().save("reports/incoming/raw.jpg", SimpleUploadedFile("x.jpg", b"EXIF-GPS"))
    public_name = default_storage.save("reports/1/photo.jpg", SimpleUploadedFile("y.jpg", b"PHOTO"))
    assert not _public_grant(s3_server, bucket, raw_name)
    assert _public_grant(s3_server, bucket, public_name)
    assert _anonymous_get(f"{s3_server.endpoint}/{bucket}/{raw_name}") == 403
    assert _anonymous_get(default_storage.url(public_name)) == 200


@pytest.mark.parametrize("mode", ["signed", "public"])
def test_photo_view_redirects_to_the_bucket_when_configured(
    mode, s3_server, settings, category, client, django_capture_on_commit_callbacks
):
    bucket = s3_server.new_bucket()
    use_bucket(settings, s3_server, bucket, public_urls=mode)
    report = _report_with_photo(category, django_capture_on_commit_callbacks, jpeg_bytes())
    photo = report.photos.get()
    response = client.get(reverse("reports:photo-thumbnail", kwargs={"pk": report.pk, "photo_pk": photo.pk}))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_server.endpoint}/{bucket}/{photo.thumbnail.name}")
    assert ("X-Amz-Signature=" in location) == (mode == "signed")
    with urllib.request.urlopen(location, timeout=5) as answer:  # noqa: S310 - loopback moto server
        assert answer.read() == s3_server.objects(bucket)[photo.thumbnail.name]
