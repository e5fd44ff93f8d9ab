"""A request id follows a report from the request to the task it queues (core/request_id.py): the POST's
log line and the photo task's log line in the worker carry the same id, as JSON lines (LOG_FORMAT=json)."""

import io
import json
import logging

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils.module_loading import import_string

from stadtdigital.core.request_id import RequestIdFilter
from stadtdigital.reports.models import PhotoStatus, Report
from tests.reports.test_intake_helpers import jpeg_bytes

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def json_log():
    """The JSON formatter and request id filter of settings.LOGGING on the root logger; yields the stream."""
    config = dict(django_settings.LOGGING["formatters"]["json"])
    formatter = import_string(config.pop("()"))(**config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@override_settings(TASKS=DATABASE_TASKS)
def test_the_report_and_its_photo_task_log_under_the_same_request_id(
    client, transactional_db, category, open311_client, open311_media, json_log
):
    _, key = open311_client
    response = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "schlagloch",
            "lat": "49.142",
            "long": "9.21",
            "description": "Tiefes Loch vor Nr. 12",
            "api_key": key,
            "media": [SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")],
        },
        HTTP_X_REQUEST_ID="lb-7f3a9c",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200, response.content
    assert response["X-Request-ID"] == "lb-7f3a9c"
    report = Report.objects.get()
    assert report.photos.get().status == PhotoStatus.PENDING  # queued for the worker, not run yet

    call_command("worker", "--batch", "--no-daily-jobs", verbosity=0)  # the worker, after the request
    assert report.photos.get().status == PhotoStatus.READY

    logged = lines(json_log)
    received = [line for line in logged if line["message"] == f"report {report.pk} received (api, 1 photos)"]
    started = [
        line for line in logged if line["logger"] == "stadtdigital.tasks" and " started: " in line["message"]
    ]
    assert len(received) == 1 and len(started) == 1, logged
    assert received[0]["request_id"] == started[0]["request_id"] == "lb-7f3a9c"
    assert {"time", "level", "logger", "message", "request_id"} <= set(received[0])


def test_an_insane_request_id_is_replaced(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="evil\u00e4 id; rm -rf /")
    generated = response["X-Request-ID"]
    assert len(generated) == 32 and int(generated, 16) >= 0
    assert client.get("/healthz")["X-Request-ID"] != generated


def test_djangos_own_line_about_a_failed_request_carries_its_id(client, db, json_log):
    response = client.get("/anliegen/99999999/", HTTP_X_REQUEST_ID="lb-404")
    assert response.status_code == 404
    not_found = [line for line in lines(json_log) if line["logger"] == "django.request"]
    assert not_found and all(line["request_id"] == "lb-404" for line in not_found)
