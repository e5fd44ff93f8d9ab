"""Photos are never stuck: disk-full leaves no file behind and retries with back-off, a final failure shows
in the back office and deletes the raw upload, a photo whose task got lost is queued again, and the purge
removes raw uploads that outlived their processing."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stadtdigital.reports.models import Photo, PhotoStatus
from stadtdigital.reports.services import photos, privacy
from stadtdigital.reports.tasks.photos import process_photo_task
from tests.reports.test_intake_helpers import jpeg_bytes
from tests.storage_faults import files_under, full_filesystem

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def pending_photo(report, content: bytes = b"", name="raw.jpg", *, age=None) -> Photo:
    stored = default_storage.save(f"reports/incoming/{name}", ContentFile(content or jpeg_bytes((600, 400))))
    photo = Photo.objects.create(report=report, upload=stored, status=PhotoStatus.PENDING)
    if age:
        Photo.objects.filter(pk=photo.pk).update(created_at=timezone.now() - age)
    return photo


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_disk_full_leaves_no_file_and_keeps_the_photo_pending_for_a_retry(make_report, tmp_path, settings):
    with full_filesystem(tmp_path, free_bytes=6000) as root:
        settings.MEDIA_ROOT = root
        photo = pending_photo(make_report(), jpeg_bytes((8, 8)))  # the raw upload fits, the results do not
        raw = root / photo.upload.name
        assert photos.process_photo(photo.pk, final_attempt=False) == photos.RETRY
        photo.refresh_from_db()
        assert photo.status == PhotoStatus.PENDING and photo.upload
        assert files_under(root) == [raw]  # no 0-byte or partial image or thumbnail

        assert photos.process_photo(photo.pk, final_attempt=True) == PhotoStatus.FAILED
        photo.refresh_from_db()
        assert photo.status == PhotoStatus.FAILED and "nicht verarbeitet" in photo.error
        assert not photo.upload and files_under(root) == []  # the raw upload with its EXIF is gone


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, TASK_MAX_ATTEMPTS=3)
def test_a_passing_failure_is_retried_with_back_off(make_report, tmp_path, settings):
    with full_filesystem(tmp_path, free_bytes=6000) as root:
        settings.MEDIA_ROOT = root
        photo = pending_photo(make_report(), jpeg_bytes((8, 8)))
        before = timezone.now()
        assert process_photo_task.call(photo.pk) == photos.RETRY
        retry = DBTaskResult.objects.get(task_path=process_photo_task.module_path)
        assert retry.args_kwargs["args"] == [photo.pk, 2]
        assert retry.run_after >= before + datetime.timedelta(seconds=30)
        assert process_photo_task.call(photo.pk, 2) == photos.RETRY
        retries = DBTaskResult.objects.filter(task_path=process_photo_task.module_path)
        later = retries.order_by("-run_after")[0]
        assert later.run_after >= before + datetime.timedelta(seconds=60)  # the wait doubles
        assert process_photo_task.call(photo.pk, 3) == PhotoStatus.FAILED  # the last attempt gives up


def test_a_failed_photo_shows_its_reason_on_the_case_page(make_report, media, client, department_user):
    report = make_report()
    photo = pending_photo(report, b"kein Bild")
    photos.process_photo(photo.pk)
    client.force_login(department_user)
    html = client.get(reverse("reports:backoffice-report", args=[report.pk])).content.decode()
    assert "nicht verwendbar: Die Datei ist kein lesbares Foto" in html


def test_processing_twice_keeps_one_set_of_files(make_report, media):
    photo = pending_photo(make_report())
    assert photos.process_photo(photo.pk) == PhotoStatus.READY
    assert photos.process_photo(photo.pk) == PhotoStatus.READY
    photo.refresh_from_db()
    assert sorted(path.name for path in files_under(media)) == sorted(
        [os.path.basename(photo.image.name), os.path.basename(photo.thumbnail.name)]
    )


@override_settings(TASKS=DATABASE_TASKS)
def test_a_pending_photo_without_a_task_is_queued_again(make_report, media):
    lost = pending_photo(make_report(), age=datetime.timedelta(minutes=5))
    fresh = pending_photo(make_report(), name="fresh.jpg")  # its task may still be on its way
    assert photos.requeue_stuck_photos() == 1
    queued = DBTaskResult.objects.get(task_path=process_photo_task.module_path)
    assert queued.args_kwargs["args"] == [lost.pk] and queued.status == "READY"
    assert photos.requeue_stuck_photos() == 0  # now it has one
    assert fresh.pk not in photos.processing_tasks(("READY",))


@override_settings(TASKS=DATABASE_TASKS, TASK_MAX_ATTEMPTS=2)
def test_a_photo_whose_tasks_keep_failing_is_given_up(make_report, media):
    photo = pending_photo(make_report(), age=datetime.timedelta(minutes=5))
    for _ in range(2):
        DBTaskResult.objects.create(
            task_path=process_photo_task.module_path,
            args_kwargs={"args": [photo.pk], "kwargs": {}},
            backend_name="default",
            run_after=timezone.now(),
            status="FAILED",
        )
    assert photos.requeue_stuck_photos() == 0
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.FAILED and not photo.upload
    assert files_under(media) == []


def test_the_purge_removes_raw_uploads_that_outlived_their_processing(make_report, media):
    report = make_report()
    stuck = pending_photo(report, name="stuck.jpg", age=datetime.timedelta(days=2))
    recent = pending_photo(report, name="recent.jpg")
    orphan = default_storage.save("reports/incoming/orphan.jpg", ContentFile(b"exif"))
    young_orphan = default_storage.save("reports/incoming/young.jpg", ContentFile(b"exif"))
    old = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(media / orphan, (old, old))

    privacy.purge_personal_data()

    assert not default_storage.exists(stuck.upload.name)
    stuck.refresh_from_db()
    assert stuck.status == PhotoStatus.FAILED and not stuck.upload
    assert not default_storage.exists(orphan)
    assert default_storage.exists(recent.upload.name)  # still being processed
    assert default_storage.exists(young_orphan)  # maybe a report being stored right now
