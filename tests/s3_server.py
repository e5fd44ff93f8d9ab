"""A real S3 API server for tests: moto in server mode, in its own process on a free loopback port.

Each test gets a fresh bucket (`S3Server.new_bucket`), so tests do not see each other's objects.
"""

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import boto3

from stadtdigital.core.object_storage import S3Location, media_storages
from tests.reports.sending_servers import free_port

# moto accepts any keys; boto3 and django-storages read them from the environment like in production.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret"}
REGION = "eu-central-1"


class S3Server:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        binary = Path(sys.executable).parent / "moto_server"
        self.process = subprocess.Popen(  # noqa: S603
            [str(binary), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):  # noqa: S310
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        raise RuntimeError("moto_server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self) -> str:
        name = f"stadtdigital-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return name

    def url(self, bucket: str) -> str:
        """MEDIA_STORAGE_URL of a bucket on this server."""
        return f"s3://{bucket}?endpoint={self.endpoint}&region={REGION}&addressing=path"

    def storages(self, bucket: str, public_urls: str = "app") -> dict:
        """The "default" and "uploads" entries of STORAGES for a bucket (for the in-process settings)."""
        location = S3Location(bucket=bucket, endpoint=self.endpoint, region=REGION, addressing="path")
        return media_storages(location, public_urls, 300)

    def objects(self, bucket: str) -> dict[str, bytes]:
        client = self.client()
        listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read() for item in listing
        }


def use_bucket(settings, server: S3Server, bucket: str, public_urls: str = "app") -> None:
    """Points this process's Django settings (pytest-django's `settings` fixture) at a bucket."""
    os.environ.update(CREDENTIALS)
    settings.MEDIA_S3_LOCATION = S3Location(
        bucket=bucket, endpoint=server.endpoint, region=REGION, addressing="path"
    )
    settings.MEDIA_PUBLIC_URLS = public_urls
    settings.STORAGES = {**settings.STORAGES, **server.storages(bucket, public_urls)}
