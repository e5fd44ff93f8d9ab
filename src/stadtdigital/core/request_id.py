"""A request id on every log line, from the request to the background tasks it queues.

`RequestIdMiddleware` takes the id from the `X-Request-ID` header when it is sane (the city's proxy or load
balancer may set one: nginx `$request_id`), else makes one, keeps it in a context variable for the request
and echoes it in the response header. `RequestIdFilter` puts it on every log record (`request_id`, "-"
outside requests; JSON lines with LOG_FORMAT=json show it). A task queued during the request (database
backend) carries the id in its stored arguments record (`args_kwargs["request_id"]`, which django-tasks-db
ignores), and the worker restores it while the task runs: the photo processing of a report logs under the
id of the request that filed the report.
"""

import contextvars
import logging
import re
import uuid

logger = logging.getLogger("stadtdigital.tasks")

HEADER = "X-Request-ID"
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,127}")
current = contextvars.ContextVar("stadtdigital_request_id", default=None)


def request_id_from(value: str | None) -> str:
    """The client's id when it is printable, short and harmless in a log line; else a new one."""
    if value and SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        # django.request logs a 4xx/5xx after the middleware has returned, with the request attached.
        request_id = current.get() or getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = request_id or "-"
        return True


# --- from the request to the task (connected in CoreConfig.ready) ----------------------------------------


def stamp_queued_task(sender, instance, raw=False, **kwargs):
    """pre_save of django-tasks-db's DBTaskResult: a task queued now remembers the request's id."""
    request_id = current.get()
    if raw or request_id is None or not instance._state.adding or not isinstance(instance.args_kwargs, dict):
        return
    instance.args_kwargs = {**instance.args_kwargs, "request_id": request_id}


_task_tokens: dict[str, contextvars.Token] = {}


def task_started(sender, task_result, **kwargs):
    """In the worker: the task runs under the id of the request that queued it (if one did)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = sender if isinstance(sender, type) else type(sender)
    request_id = None
    if issubclass(backend, DatabaseBackend):  # other backends run the task inside the request itself
        stored = DBTaskResult.objects.filter(pk=task_result.id).values_list("args_kwargs", flat=True).first()
        request_id = stored.get("request_id") if isinstance(stored, dict) else None
    if request_id:
        _task_tokens[str(task_result.id)] = current.set(request_id_from(request_id))
    logger.info("task %s started: %s", task_result.id, task_result.task.name)


def task_finished(sender, task_result, **kwargs):
    logger.info("task %s finished: %s %s", task_result.id, task_result.task.name, task_result.status)
    token = _task_tokens.pop(str(task_result.id), None)
    if token is not None:
        current.reset(token)


def connect_signals() -> None:
    from django.db.models.signals import pre_save
    from django_tasks_db.compat import task_finished as finished
    from django_tasks_db.compat import task_started as started
    from django_tasks_db.models import DBTaskResult

    pre_save.connect(stamp_queued_task, sender=DBTaskResult, dispatch_uid="stadtdigital-request-id")
    started.connect(task_started, dispatch_uid="stadtdigital-request-id")
    finished.connect(task_finished, dispatch_uid="stadtdigital-request-id")
