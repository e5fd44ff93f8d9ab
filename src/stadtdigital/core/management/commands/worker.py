"""`stadtdigital worker`: runs queued background tasks (django-tasks database worker) and the daily jobs.

Around django-tasks-db's worker it adds what a crash needs (core/watchdog.py): a heartbeat, tasks of dead
workers taken up again, and waiting for the database instead of exiting when it is gone.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string

from stadtdigital.core import scheduling, watchdog

DATABASE_ERRORS = (OperationalError, InterfaceError)


class Command(BaseCommand):
    help = (
        "Runs the background worker (emails, images, reminders, purge) until stopped. Checks every few "
        "minutes for due daily jobs (each runs once a day, however many workers run). Takes up tasks of "
        "workers that stopped, and waits for the database when it is away."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")
        parser.add_argument(
            "--daily-interval",
            type=float,
            default=scheduling.DEFAULT_INTERVAL_SECONDS,
            help="Seconds between checks for due daily jobs (default 600).",
        )
        parser.add_argument("--no-daily-jobs", action="store_true", help="Do not run the daily jobs.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at an empty queue (default 1)."
        )

    def handle(self, *args, **options):
        daily = not options["no_daily_jobs"]
        if options["batch"]:
            watchdog.run_watchdog()
            if daily:
                self.report(scheduling.run_due_daily_jobs())
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=options["verbosity"])
            return
        worker_id = get_random_string(32)
        guard = watchdog.start_watchdog(worker_id)
        thread = scheduling.start_daily_job_thread(options["daily_interval"]) if daily else None
        try:
            self.run_until_stopped(guard, options)
        finally:
            guard.stop()
            if thread is not None:
                thread.stop()

    def run_until_stopped(self, guard: watchdog.WatchdogThread, options) -> None:
        wait = 1.0
        while True:
            try:
                call_command(
                    "db_worker",
                    "--worker-id",
                    guard.worker_id,
                    "--interval",
                    str(options["interval"]),
                    "--no-reload",
                    verbosity=options["verbosity"],
                )
                return
            except DATABASE_ERRORS as exc:
                # Whatever task was running stays RUNNING under the old id; a new id lets the watchdog
                # (here or in another worker) take it up again once the old id's heartbeat is stale.
                guard.worker_id = get_random_string(32)
                connections.close_all()
                self.stderr.write(
                    f"Datenbank nicht erreichbar ({str(exc).strip()[:200]}); neuer Versuch in {wait:.0f} s"
                )
                time.sleep(wait)
                wait = min(wait * 2, settings.TASK_DATABASE_RETRY_MAX_SECONDS)

    def report(self, outcomes):
        for outcome in outcomes:
            if outcome.status == "error":
                self.stderr.write(f"Tagesaufgabe {outcome.name}: Fehler: {outcome.error}")
            elif outcome.status == "enqueued":
                self.stdout.write(f"Tagesaufgabe {outcome.name}: eingereiht")
