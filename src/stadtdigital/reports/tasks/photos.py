"""Background task: turn a raw photo upload into a clean, resized image (see services.photos).

A passing failure is retried with back-off (core.watchdog.backoff) up to TASK_MAX_ATTEMPTS attempts; a
killed worker's task is taken up again by the watchdog; the processing is safe to run twice.
"""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from stadtdigital.core.watchdog import backoff
from stadtdigital.reports.services import photos


@task()
def process_photo_task(photo_id: int, attempt: int = 1) -> str:
    final = attempt >= settings.TASK_MAX_ATTEMPTS
    status = photos.process_photo(photo_id, final_attempt=final)
    if status == photos.RETRY:
        process_photo_task.using(run_after=timezone.now() + backoff(attempt)).enqueue(photo_id, attempt + 1)
    return str(status)
