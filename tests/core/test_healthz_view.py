import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max

from stadtdigital.core.models import WorkerHeartbeat
from stadtdigital.core.watchdog import beat


def test_healthz_reports_database_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_not_cached(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


# --- /healthz?deep=1: storage, worker heartbeat, queue lag; only for monitoring ---------------------------

DEEP_TOKEN = "tiefer-blick-token-0987654321"


def deep(client, **headers):
    headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {DEEP_TOKEN}")
    return client.get("/healthz", {"deep": "1"}, **headers)


@pytest.fixture
def healthy(settings, tmp_path, db):
    settings.METRICS_TOKEN = DEEP_TOKEN
    settings.MEDIA_ROOT = tmp_path / "media"
    beat("worker-a")
    return tmp_path


def test_deep_health_is_only_for_monitoring(client, healthy, settings):
    assert deep(client, HTTP_AUTHORIZATION="").status_code == 404
    assert deep(client, HTTP_AUTHORIZATION="Bearer falsch").status_code == 404
    settings.METRICS_ALLOWED_ADDRESSES = ["192.0.2.0/24"]
    assert deep(client, HTTP_AUTHORIZATION="", REMOTE_ADDR="192.0.2.9").status_code == 200
    # the cheap check stays open for the load balancer
    assert client.get("/healthz").status_code == 200


def test_deep_health_checks_database_storage_worker_and_queue(client, healthy):
    response = deep(client)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "storage": "ok",
        "worker": "ok",
        "queue": "ok",
    }
    assert "no-cache" in response["Cache-Control"]
    assert not any((healthy / "media").rglob("*.txt")), "the probe object is deleted"


def test_storage_that_cannot_be_written_fails_the_deep_check(client, healthy, settings):
    blocker = healthy / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    response = deep(client)
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"]["status"] == "error"
    assert checks["database"]["status"] == "ok"


def test_a_silent_worker_fails_the_deep_check(client, healthy, settings):
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=61))
    settings.TASK_WORKER_TIMEOUT_SECONDS = 60
    response = deep(client)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "error"
    WorkerHeartbeat.objects.all().delete()
    assert "no worker" in deep(client).json()["checks"]["worker"]["detail"]


def test_queue_lag_beyond_the_limit_fails_the_deep_check(client, healthy, settings):
    settings.HEALTHZ_MAX_QUEUE_LAG_SECONDS = 300
    task = DBTaskResult.objects.create(
        task_path="stadtdigital.reports.tasks.photos.process_photo_task",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        status=TaskResultStatus.READY,
        run_after=get_date_max(),
    )
    assert deep(client).status_code == 200
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=400)
    )
    response = deep(client)
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["status"] == "error"
