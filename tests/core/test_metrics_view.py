"""/metrics: Prometheus text, only for configured addresses or the bearer token; latency by view; database
figures (task queue, reports, photos, sendings) that follow what happens."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "geheimes-monitoring-token-1234567890"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def scrape(client, **headers) -> dict:
    """{(name, labels as a sorted tuple): value} of one scrape."""
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


@pytest.fixture(autouse=True)
def monitoring(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = ["10.1.2.0/24"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer falsch"},
        {"HTTP_AUTHORIZATION": TOKEN},
        {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        {"REMOTE_ADDR": "10.1.3.1"},
        {"REMOTE_ADDR": "10.1.3.1", "HTTP_X_FORWARDED_FOR": "10.1.2.5"},  # not behind a proxy: ignored
    ],
)
def test_without_token_or_allowed_address_it_is_not_there(client, db, headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 404
    assert b"stadtdigital_" not in response.content


def test_the_token_opens_it(client, db):
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_an_allowed_address_opens_it_without_a_token(client, db):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.77").status_code == 200


def test_behind_a_proxy_the_forwarded_address_counts(client, settings, db):
    settings.BEHIND_PROXY = True
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.5").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.5", HTTP_X_FORWARDED_FOR="8.8.8.8").status_code == 404


def test_no_token_configured_means_no_token_works(client, settings, db):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_request_latency_is_counted_by_view_name_not_path(client, db):
    for _ in range(2):
        assert client.get("/healthz").status_code == 200
    assert client.get("/anliegen/123456/").status_code == 404
    samples = scrape(client)
    healthz = (
        "stadtdigital_request_duration_seconds_count",
        (("method", "GET"), ("status", "2xx"), ("view", "core:healthz")),
    )
    assert samples[healthz] >= 2
    detail = (
        "stadtdigital_request_duration_seconds_count",
        (("method", "GET"), ("status", "4xx"), ("view", "reports:detail")),
    )
    assert samples[detail] >= 1
    assert not any("123456" in dict(labels).get("view", "") for _name, labels in samples)


def queued_task(**fields) -> DBTaskResult:
    fields.setdefault("run_after", get_date_max())
    return DBTaskResult.objects.create(
        task_path="stadtdigital.reports.tasks.photos.process_photo_task",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        status=TaskResultStatus.READY,
        **fields,
    )


@override_settings(TASKS=DATABASE_TASKS)
def test_task_queue_depth_age_and_failures_follow_the_tasks(client, db):
    empty = scrape(client)
    assert empty[("stadtdigital_tasks_queued", ())] == 0
    assert empty[("stadtdigital_task_oldest_queued_age_seconds", ())] == 0

    first = queued_task()
    queued_task()
    DBTaskResult.objects.filter(pk=first.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    queued = scrape(client)
    assert queued[("stadtdigital_tasks_queued", ())] == 2
    assert 299 <= queued[("stadtdigital_task_oldest_queued_age_seconds", ())] < 400

    DBTaskResult.objects.filter(pk=first.pk).update(status=TaskResultStatus.FAILED)
    later = scrape(client)
    assert later[("stadtdigital_tasks_queued", ())] == 1
    assert later[("stadtdigital_task_oldest_queued_age_seconds", ())] < 60
    assert later[("stadtdigital_tasks_failed", ())] == 1


def test_a_task_waiting_for_its_run_after_is_not_queue_lag(client, db):
    """A back-off (run_after in the future) waits for no worker; once due, its lag counts from then."""
    from stadtdigital.core import queue

    now = timezone.now()
    queued_task(run_after=now + datetime.timedelta(minutes=5))
    assert queue.depth() == 0
    assert queue.oldest_due_age_seconds(now) == 0
    assert queue.oldest_due_age_seconds(now + datetime.timedelta(minutes=7)) == pytest.approx(120, abs=1)
