from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Runs the background worker (emails, images, reminders, purge) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")

    def handle(self, *args, **options):
        worker_args = ["--batch"] if options["batch"] else []
        call_command("db_worker", *worker_args)
