"""Tasks the several-server test enqueues, so that it can watch which worker ran what: each appends a line
"<event> <key> <pid>" to the file named by DEPLOY_TEST_TASK_LOG (O_APPEND: whole lines, never mixed)."""

import os
import time
from pathlib import Path

from django_tasks import task


def _log(event: str, key: str) -> None:
    with open(os.environ["DEPLOY_TEST_TASK_LOG"], "a") as handle:
        handle.write(f"{event} {key} {os.getpid()}\n")


@task()
def record(key: str) -> None:
    _log("ran", key)
    time.sleep(0.2)  # long enough that both workers get a share of the queue


@task()
def hold(key: str) -> None:
    """Runs until the file DEPLOY_TEST_RELEASE exists: the worker running it can be killed mid-task."""
    _log("started", key)
    release = Path(os.environ["DEPLOY_TEST_RELEASE"])
    deadline = time.monotonic() + 300
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    _log("finished", key)
