"""The status poll's scheduling: started by the daily job once, each target polled at most once per
interval (several workers), a failed poll does not skip the updates in between, lost sendings re-queued."""

import datetime

from django.test import override_settings
from django.utils import timezone

from stadtdigital.reports.models import Dispatch, DispatchState, SendMethod, SendTarget
from stadtdigital.reports.sending import statusback
from tests.reports.sending_servers import HTTPReceiver, free_port

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def open311_target(url):
    return SendTarget.objects.create(name="Landkreis", method=SendMethod.OPEN311, endpoint=url)


@override_settings(TASKS=DB_TASKS)
def test_daily_job_starts_the_poll_chain_once(db):
    from django_tasks_db.models import DBTaskResult

    assert statusback.ensure_polling() == 0  # no Open311 target: nothing to poll
    open311_target("http://127.0.0.1:9/open311/v2")
    assert statusback.ensure_polling() == 1
    assert statusback.ensure_polling() == 0  # one waiting poll task is enough
    assert DBTaskResult.objects.filter(task_path__endswith="poll_status_task").count() == 1


def test_each_target_is_polled_once_per_interval(make_report):
    with HTTPReceiver(lambda handler, body: (200, [])) as server:
        target = open311_target(server.url + "/v2")
        report = make_report()
        Dispatch.objects.create(
            report=report, target=target, reason="new", state=DispatchState.SENT, external_id="7"
        )
        now = timezone.now()
        statusback.poll_all(now)
        statusback.poll_all(now + datetime.timedelta(minutes=1))  # a second worker, too early
        polls = [path for _m, path, _h, _b in server.requests if "servicerequestupdates" in path]
        assert len(polls) == 1
        statusback.poll_all(now + datetime.timedelta(minutes=16))
        assert len([p for _m, p, _h, _b in server.requests if "servicerequestupdates" in p]) == 2


def test_failed_poll_starts_from_the_same_point_next_time(make_report):
    target = open311_target(f"http://127.0.0.1:{free_port()}/v2")
    before = timezone.now() - datetime.timedelta(hours=3)
    SendTarget.objects.filter(pk=target.pk).update(last_polled_at=before)
    Dispatch.objects.create(
        report=make_report(), target=target, reason="new", state=DispatchState.SENT, external_id="7"
    )
    statusback.poll_all()
    target.refresh_from_db()
    assert target.last_polled_at == before


@override_settings(TASKS=DB_TASKS)
def test_pending_sendings_whose_task_was_lost_are_queued_again(make_report):
    from django_tasks_db.models import DBTaskResult

    target = open311_target("http://127.0.0.1:9/v2")
    stale = Dispatch.objects.create(report=make_report(), target=target, reason="new")
    fresh = Dispatch.objects.create(report=make_report(), target=target, reason="new")
    Dispatch.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=3))
    assert statusback.requeue_stale_pending() == 1
    [task] = DBTaskResult.objects.filter(task_path__endswith="send_dispatch_task")
    assert task.args_kwargs["args"] == [stale.pk] and fresh.pk != stale.pk
