"""`stadtdigital demo`: prepares a database with synthetic demo data and serves it on http://127.0.0.1:8000."""

import hashlib
import logging
import os
import secrets
import threading
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, transaction
from django.utils.module_loading import import_string

from stadtdigital.core import roles
from stadtdigital.core.models import Department

DEMO_USERNAME = "demo"
DEMO_DEPARTMENT_USERNAME = "demo-fachbereich"
DEMO_DEPARTMENT_SLUG = "schulverwaltungsamt"

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Prepares the database (migrate, static files, synthetic demo data, demo logins) and serves the "
        "demo on http://127.0.0.1:8000 with a background worker. Running it again adds no duplicates and "
        "gives the demo logins a new password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--load-only", action="store_true", help="Prepare everything, then exit.")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1).")
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="Port to serve on (default 8000). Links in the demo's mails, Open311 and open data use "
            "this address unless SITE_URL is set.",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not run the background worker.")

    def step(self, message):
        self.stdout.write(self.style.MIGRATE_HEADING(message))

    def write(self, message):
        self.stdout.write(message)

    def handle(self, *args, **options):
        self.step(f"Datenbank vorbereiten ({settings.DATABASES['default']['NAME']}) …")
        call_command("migrate", interactive=False, verbosity=0)

        # Never mix demo data and demo logins into a database in real use: each app says whether it holds
        # real data; the demo logins may exist only in a database that already holds some demo data.
        loaders = demo_loaders()
        any_loaded = any(loader.loaded() for loader in loaders)
        real = [
            loader.real_data_label for loader in loaders if not loader.loaded() and loader.real_data_present()
        ]
        if real or (not any_loaded and get_user_model().objects.filter(username=DEMO_USERNAME).exists()):
            what = " und ".join(real) if real else "eigene Daten"
            raise CommandError(
                f"Die Datenbank enthält bereits {what} oder Konten; Demodaten werden dort nicht "
                "geladen. Für die Demo ein eigenes Datenverzeichnis verwenden, z. B. DATA_DIR=./demo-data."
            )

        self.step("Statische Dateien sammeln …")
        fingerprint, stamp = static_fingerprint(), Path(settings.DATA_DIR) / ".demo-static-fingerprint"
        if Path(settings.STATIC_ROOT).is_dir() and stamp.exists() and stamp.read_text() == fingerprint:
            self.stdout.write(f"  unverändert in {settings.STATIC_ROOT}")
        else:
            call_command("collectstatic", interactive=False, verbosity=0)
            stamp.write_text(fingerprint)

        self.step("Demodaten laden …")
        for loader in loaders:
            loader.load(self)

        self.step("Demo-Zugänge einrichten …")
        password = self.reset_demo_accounts(app_accounts(loaders))

        host = "127.0.0.1" if options["host"] in ("0.0.0.0", "::") else options["host"]  # noqa: S104
        url = f"http://{host}:{options['port']}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo bereit (alle Daten sind synthetisch)."))
        self.stdout.write(f"  Adresse:      {url}/")
        self.stdout.write(f"  Verwaltung:   {url}/verwaltung/")
        self.stdout.write(f"  Benutzername: {DEMO_USERNAME}  (Rolle {roles.DIGITAL_OFFICE})")
        dept_role = f"Rolle {roles.DEPARTMENT_STAFF}: Schulverwaltungsamt"
        self.stdout.write(f"  Benutzername: {DEMO_DEPARTMENT_USERNAME}  ({dept_role})")
        for username, _first, last, role, dept_slug in app_accounts(loaders):
            detail = f"Rolle {role}" + (f": {last}" if dept_slug else "")
            self.stdout.write(f"  Benutzername: {username}  ({detail})")
        self.stdout.write(f"  Passwort:     {password}")
        self.stdout.write("  (Das Passwort wird bei jedem Aufruf von `stadtdigital demo` neu vergeben.)")
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            self.stdout.write(f"  E-Mails:      als Dateien in {settings.EMAIL_FILE_PATH}")
        self.stdout.write("")

        if options["load_only"]:
            return
        if not os.environ.get("SITE_URL"):
            # Links in mails, Open311 and the DCAT catalogue must reach this server, on whatever port it runs.
            settings.SITE_URL = url
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            self.stdout.write(self.style.WARNING(f"Hinweis: {host} fehlt in ALLOWED_HOSTS; bitte ergänzen."))
        worker = None
        if not options["no_worker"]:
            self.stdout.write("Hintergrund-Worker startet im selben Prozess.")
            worker = start_worker_thread()
        self.stdout.write(
            "Server: Djangos Entwicklungsserver, nur für die Demo (Produktivbetrieb mit gunicorn: README). "
            "Beenden mit Strg+C."
        )
        os.environ.setdefault("DJANGO_RUNSERVER_HIDE_WARNING", "true")
        try:
            call_command(
                "runserver", f"{options['host']}:{options['port']}", use_reloader=False, use_threading=True
            )
        finally:
            if worker is not None:
                worker.running = False
                if getattr(worker, "daily_jobs", None) is not None:
                    worker.daily_jobs.stop()

    @transaction.atomic
    def reset_demo_accounts(self, extra_accounts=()) -> str:
        """Creates (or resets) the demo logins with a new random password; returns it."""
        roles.ensure_role_groups()
        password = secrets.token_urlsafe(12)
        accounts = [
            (DEMO_USERNAME, "Demo", "Digitalisierungsbüro", roles.DIGITAL_OFFICE, None),
            (DEMO_DEPARTMENT_USERNAME, "Demo", "Fachbereich", roles.DEPARTMENT_STAFF, DEMO_DEPARTMENT_SLUG),
            *extra_accounts,
        ]
        User = get_user_model()  # noqa: N806
        for username, first, last, role, dept_slug in accounts:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.is_active, user.is_staff, user.is_superuser = True, False, False
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get_or_create(name=role)[0]])
            if dept_slug:
                user.departments.set(Department.objects.filter(slug=dept_slug))
        return password


def demo_loaders() -> list:
    """Each app's demo loader (AppConfig attribute `demo_loaders`: dotted paths), in app order.

    A loader has `label`, `real_data_label` (e.g. "eigene Projekte"), `accounts` (extra demo logins:
    (username, first name, last name, role group, department slug or None)), `loaded()`,
    `real_data_present()` and `load(out)`, where `out` has `step(message)` and `write(message)`.
    """
    return [
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, "demo_loaders", ())
    ]


def app_accounts(loaders) -> list[tuple]:
    return [account for loader in loaders for account in getattr(loader, "accounts", ())]


def start_worker_thread(interval: float = 1.0, *, daily_jobs: bool = True):
    """Runs the django-tasks database worker in a daemon thread of this process; returns the worker.

    The thread dies with the server process; setting `worker.running = False` stops it after its current
    task. Only runs when the default task backend is the database backend. With `daily_jobs`, a second
    daemon thread enqueues the daily jobs (core.scheduling) when due (`worker.daily_jobs.stop()` ends it).
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.management.commands.db_worker import Worker

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return None
    worker = Worker(
        queue_names=["*"],  # every queue: the demo has no separate workers
        interval=interval,
        batch=False,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=f"demo-{secrets.token_hex(8)}",
        excluded_queue_names=[],
    )

    def run():
        try:
            worker.run()
        except Exception:  # keep the server up; the worker's failure is logged
            logger.exception("Background worker stopped")
        finally:
            close_old_connections()

    worker.thread = threading.Thread(target=run, name="stadtdigital-worker", daemon=True)
    worker.thread.start()
    if daily_jobs:
        from stadtdigital.core.scheduling import start_daily_job_thread

        worker.daily_jobs = start_daily_job_thread()  # checks now, then every 10 minutes
    return worker


def static_fingerprint() -> str:
    """Names, sizes and times of every static source file: collectstatic is skipped when unchanged."""
    from django.contrib.staticfiles.finders import get_finders

    entries = set()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.add(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    digest.update(str(settings.STATIC_ROOT).encode())
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()
