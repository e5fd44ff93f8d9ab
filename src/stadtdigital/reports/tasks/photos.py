"""Background task: turn a raw photo upload into a clean, resized image (see services.photos)."""

from django_tasks import task

from stadtdigital.reports.services import photos


@task()
def process_photo_task(photo_id: int) -> str:
    return str(photos.process_photo(photo_id))
