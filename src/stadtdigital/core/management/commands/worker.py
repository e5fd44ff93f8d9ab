"""`stadtdigital worker`: runs queued background tasks (django-tasks database worker) and the daily jobs."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from stadtdigital.core import scheduling


class Command(BaseCommand):
    help = (
        "Runs the background worker (emails, images, reminders, purge) until stopped. Checks every few "
        "minutes for due daily jobs (each runs once a day, however many workers run)."
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

    def handle(self, *args, **options):
        daily = not options["no_daily_jobs"]
        if options["batch"]:
            if daily:
                self.report(scheduling.run_due_daily_jobs())
            call_command("db_worker", "--batch")
            return
        thread = scheduling.start_daily_job_thread(options["daily_interval"]) if daily else None
        try:
            call_command("db_worker")
        finally:
            if thread is not None:
                thread.stop()

    def report(self, outcomes):
        for outcome in outcomes:
            if outcome.status == "error":
                self.stderr.write(f"Tagesaufgabe {outcome.name}: Fehler: {outcome.error}")
            elif outcome.status == "enqueued":
                self.stdout.write(f"Tagesaufgabe {outcome.name}: eingereiht")
