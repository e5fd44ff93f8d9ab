"""Background tasks of sending (run by `stadtdigital worker`)."""

from django_tasks import task


@task()
def send_dispatch_task(dispatch_id: int) -> str:
    from stadtdigital.reports.sending.services import run_dispatch

    return str(run_dispatch(dispatch_id))


@task()
def poll_status_task() -> int:
    from stadtdigital.reports.sending.statusback import poll_and_reschedule

    return poll_and_reschedule()
