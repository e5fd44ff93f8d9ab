"""Where media files live: local disk (default) or S3-compatible object storage (decision 0018).

Read by settings.py, so nothing here imports Django models. Two storages:

- "default": processed photos and thumbnails (public once a report is public);
- "uploads": raw uploads (unprocessed, may carry EXIF/GPS/personal data): always private, never a URL.

Locally both are FileSystemStorage on MEDIA_ROOT (the names are unchanged from before this decision). On S3
both use the same bucket; "uploads" forces the private ACL whatever MEDIA_PUBLIC_URLS says.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
# How processed photos reach a browser: through the app (default, as on local disk), by a short-lived
# signed URL of the bucket, or by the bucket's public URL (objects readable by anyone, e.g. behind a CDN).
PUBLIC_URL_MODES = ("app", "signed", "public")
_URL_PARAMETERS = {"endpoint", "region", "addressing"}


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str = ""
    endpoint: str = ""
    region: str = ""
    addressing: str = ""  # "path" for MinIO, Ceph and most on-premise servers; "" = the library's choice


def parse_media_storage_url(url: str) -> S3Location:
    """s3://bucket[/prefix]?endpoint=https://s3.example.de&region=eu-central-1[&addressing=path]

    Access keys never go into the URL: they come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    """
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL={url!r} must look like s3://bucket?endpoint=https://...&region=..."
        )
    if parts.username or parts.password:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must not contain access keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - _URL_PARAMETERS)
    if unknown:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL: unknown parameter(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(_URL_PARAMETERS))})"
        )
    addressing = query.get("addressing", [""])[0]
    if addressing not in ("", "path", "virtual"):
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL: addressing={addressing!r} must be path or virtual")
    endpoint = query.get("endpoint", [""])[0]
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"MEDIA_STORAGE_URL: endpoint={endpoint!r} must be an http(s) URL")
    return S3Location(
        bucket=parts.hostname,
        prefix=parts.path.strip("/"),
        endpoint=endpoint,
        region=query.get("region", [""])[0],
        addressing=addressing,
    )


def s3_location(url: str, bucket: str, endpoint: str, region: str) -> S3Location | None:
    """The configured object storage, or None for local disk. MEDIA_STORAGE_URL wins over AWS_*."""
    if url:
        return parse_media_storage_url(url)
    if bucket:
        return S3Location(bucket=bucket, endpoint=endpoint, region=region)
    if endpoint:
        raise ImproperlyConfigured("AWS_S3_ENDPOINT_URL is set but AWS_STORAGE_BUCKET_NAME is not")
    return None


def media_storages(location: S3Location | None, public_urls: str, signed_url_seconds: int) -> dict:
    """The "default" and "uploads" entries of Django's STORAGES setting."""
    if public_urls not in PUBLIC_URL_MODES:
        raise ImproperlyConfigured(
            f"MEDIA_PUBLIC_URLS={public_urls!r} must be one of {', '.join(PUBLIC_URL_MODES)}"
        )
    if location is None:
        if public_urls != "app":
            raise ImproperlyConfigured("MEDIA_PUBLIC_URLS other than 'app' needs MEDIA_STORAGE_URL")
        return {"default": {"BACKEND": LOCAL_BACKEND}, "uploads": {"BACKEND": LOCAL_BACKEND}}
    common = {
        "bucket_name": location.bucket,
        "location": location.prefix,
        "endpoint_url": location.endpoint or None,
        "region_name": location.region or None,
        "addressing_style": location.addressing or None,
        "signature_version": "s3v4",
        "file_overwrite": False,  # like the local disk: a name in use gets a new one, nothing is replaced
    }
    private = {**common, "default_acl": "private", "querystring_auth": True}
    private["querystring_expire"] = signed_url_seconds
    public = {**common, "default_acl": "public-read", "querystring_auth": False}
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": public if public_urls == "public" else private},
        "uploads": {"BACKEND": S3_BACKEND, "OPTIONS": private},
    }
