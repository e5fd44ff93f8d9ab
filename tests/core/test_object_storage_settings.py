"""MEDIA_STORAGE_URL and the AWS_* settings: what they turn into, and a clear error naming what is wrong."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from stadtdigital.core.object_storage import (
    LOCAL_BACKEND,
    S3_BACKEND,
    S3Location,
    media_storages,
    s3_location,
)


def test_url_with_prefix_endpoint_region_and_path_addressing():
    location = s3_location(
        "s3://media/stadt?endpoint=https://s3.example.de&region=de-1&addressing=path", "", "", ""
    )
    assert location == S3Location("media", "stadt", "https://s3.example.de", "de-1", "path")


def test_the_usual_aws_settings_and_the_url_winning_over_them():
    assert s3_location("", "bucket", "http://minio:9000", "eu") == S3Location(
        "bucket", "", "http://minio:9000", "eu"
    )
    assert s3_location("s3://other", "bucket", "", "").bucket == "other"
    assert s3_location("", "", "", "") is None  # local disk


@pytest.mark.parametrize(
    ("url", "bucket", "endpoint", "message"),
    [
        ("https://bucket.example", "", "", "must look like s3://bucket"),
        ("s3://key:secret@bucket", "", "", "must not contain access keys"),
        ("s3://bucket?endpoint=ftp://x", "", "", "must be an http(s) URL"),
        ("s3://bucket?addressing=sideways", "", "", "must be path or virtual"),
        ("s3://bucket?acl=public-read", "", "", "unknown parameter(s) acl"),
        ("", "", "http://minio:9000", "AWS_STORAGE_BUCKET_NAME is not"),
    ],
)
def test_bad_configuration_is_named(url, bucket, endpoint, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        s3_location(url, bucket, endpoint, "")


def test_raw_uploads_stay_private_whatever_the_public_url_mode():
    location = S3Location("media")
    for mode in ("app", "signed", "public"):
        storages = media_storages(location, mode, 300)
        assert storages["uploads"]["BACKEND"] == S3_BACKEND
        assert storages["uploads"]["OPTIONS"]["default_acl"] == "private"
        assert storages["uploads"]["OPTIONS"]["querystring_auth"] is True
    assert media_storages(location, "public", 300)["default"]["OPTIONS"]["default_acl"] == "public-read"
    assert media_storages(location, "app", 300)["default"]["OPTIONS"]["default_acl"] == "private"


def test_local_disk_by_default_and_no_bucket_urls_without_a_bucket():
    assert media_storages(None, "app", 300) == {
        "default": {"BACKEND": LOCAL_BACKEND},
        "uploads": {"BACKEND": LOCAL_BACKEND},
    }
    with pytest.raises(ImproperlyConfigured, match="MEDIA_PUBLIC_URLS"):
        media_storages(None, "signed", 300)
    with pytest.raises(ImproperlyConfigured, match="must be one of app, signed, public"):
        media_storages(S3Location("media"), "cdn", 300)
