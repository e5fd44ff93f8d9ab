"""Backup and restore as docs/production.md describes it (§ 7): pg_dump of the database plus a copy of the
bucket, restored into a fresh database and a fresh bucket (the old ones deleted), reproduces a published
Digitalisierungsbericht's PDF byte for byte and a report's photo, downloaded through the app before and
after."""

import subprocess

import psycopg
import pytest
import requests

from tests.deploy.processes import AppServer, shared_environment, stadtdigital

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.xdist_group("backup_restore"),
]  # its own worker, beside the several-server test

CONTENT = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from stadtdigital.core.models import Department
from stadtdigital.reports.models import Category, CategoryGroup, Photo, PhotoStatus, Report
department = Department.objects.create(name="Tiefbauamt", slug="tiefbau")
category = Category.objects.create(code="loch", name="Loch", department=department,
                                   group=CategoryGroup.objects.create(name="Straße"))
now = timezone.now()
report = Report.objects.create(category=category, department=department, lat=49.14, lon=9.21,
                               description="Schlagloch am Markt", created_at=now, updated_at=now, due_at=now)
jpeg = ContentFile(b"\\xff\\xd8\\xff\\xe0" + b"photo" * 500)
image = default_storage.save(f"reports/{report.pk}/photo.jpg", jpeg)
photo = Photo.objects.create(report=report, image=image, thumbnail=image, status=PhotoStatus.READY)
print(report.pk, photo.pk)
"""


def sync_bucket(client, source: str, target: str) -> int:
    """What `rclone sync` / `aws s3 sync` / `mc mirror` do; with boto3 so the test needs no extra tool."""
    copied = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=source):
        for item in page.get("Contents", []):
            client.copy_object(
                Bucket=target, Key=item["Key"], CopySource={"Bucket": source, "Key": item["Key"]}
            )
            copied += 1
    return copied


def download(server, *paths: str) -> list[bytes]:
    answers = [requests.get(server.url + path, timeout=60) for path in paths]
    assert [answer.status_code for answer in answers] == [200] * len(paths)
    return [answer.content for answer in answers]


def test_backup_and_restore_into_a_fresh_database_and_bucket_reproduce_the_published_pdf(
    postgres_server, s3_server, tmp_path
):
    old_database, old_bucket = postgres_server.create_database("before"), s3_server.new_bucket()
    env = shared_environment(old_database, s3_server.url(old_bucket))
    stadtdigital(env, "migrate", "--noinput", "-v", "0")
    report_id, photo_id = stadtdigital(env, "shell", "-c", CONTENT).splitlines()[-1].split()
    stadtdigital(env, "annual-report", "--as-of", "2025-12-31", "--publish", "--title", "Bericht 2025")
    paths = (
        "/berichte/2025/bericht.pdf",
        "/berichte/2025/anhang.json",
        f"/anliegen/{report_id}/fotos/{photo_id}/",
    )
    server = AppServer(env, "before")
    try:
        before = download(server.wait_ready(), *paths)
    finally:
        server.stop()
    assert before[0].startswith(b"%PDF-")

    # Backup: the database dump and a copy of the bucket.
    dump = tmp_path / "stadtdigital.dump"
    subprocess.run(
        [postgres_server.bin("pg_dump"), "--format=custom", f"--file={dump}", old_database], check=True
    )
    backup_bucket = s3_server.new_bucket()
    client = s3_server.client()
    assert sync_bucket(client, old_bucket, backup_bucket) == 1

    # Disaster: database and bucket are gone.
    for item in client.list_objects_v2(Bucket=old_bucket).get("Contents", []):
        client.delete_object(Bucket=old_bucket, Key=item["Key"])
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{old_database.rsplit("/", 1)[1]}"')

    # Restore into a fresh database and a fresh bucket.
    new_database, new_bucket = postgres_server.create_database("after"), s3_server.new_bucket()
    subprocess.run(
        [
            postgres_server.bin("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={new_database}",
            dump,
        ],
        check=True,
    )
    assert sync_bucket(client, backup_bucket, new_bucket) == 1
    server = AppServer(shared_environment(new_database, s3_server.url(new_bucket)), "after")
    try:
        after = download(server.wait_ready(), *paths)
    finally:
        server.stop()
    assert after == before  # the PDF, the JSON annex and the photo, byte for byte
