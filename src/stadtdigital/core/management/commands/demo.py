"""`stadtdigital demo`: prepares a database with synthetic demo data and serves it on http://127.0.0.1:8000."""

import hashlib
import logging
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, transaction

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
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--no-worker", action="store_true", help="Do not run the background worker.")

    def step(self, message):
        self.stdout.write(self.style.MIGRATE_HEADING(message))

    def handle(self, *args, **options):
        from stadtdigital.portfolio.demo import demo_loaded, load_demo_portfolio
        from stadtdigital.portfolio.models import Project

        self.step(f"Datenbank vorbereiten ({settings.DATABASES['default']['NAME']}) …")
        call_command("migrate", interactive=False, verbosity=0)

        # Never mix demo data and demo logins into a database in real use.
        real_data = Project.objects.filter(is_synthetic=False).exists()
        if not demo_loaded() and (
            real_data or get_user_model().objects.filter(username=DEMO_USERNAME).exists()
        ):
            raise CommandError(
                "Die Datenbank enthält bereits eigene Projekte oder Konten; Demodaten werden dort nicht "
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

        def progress(done, total):
            if done == total or done % 25 == 0:
                self.stdout.write(f"  Projekte: {done}/{total}")

        result = load_demo_portfolio(publish=False, progress=progress)
        if result.already_loaded:
            self.stdout.write("  Demodaten sind schon vorhanden, nichts doppelt angelegt.")
        else:
            self.stdout.write(f"  {result.created} synthetische Projekte mit Verlauf angelegt.")
        self.step("Digitalisierungsbericht 2021 veröffentlichen …")
        from stadtdigital.portfolio.demo import publish_demo_report

        report = publish_demo_report()
        self.stdout.write(f"  veröffentlicht: {report}" if report else "  schon veröffentlicht.")

        self.step("Demo-Zugänge einrichten …")
        password = self.reset_demo_accounts()

        host = "127.0.0.1" if options["host"] in ("0.0.0.0", "::") else options["host"]  # noqa: S104
        url = f"http://{host}:{options['port']}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo bereit (alle Daten sind synthetisch)."))
        self.stdout.write(f"  Adresse:      {url}/")
        self.stdout.write(f"  Verwaltung:   {url}/verwaltung/")
        self.stdout.write(f"  Benutzername: {DEMO_USERNAME}  (Rolle {roles.DIGITAL_OFFICE})")
        dept_role = f"Rolle {roles.DEPARTMENT_STAFF}: Schulverwaltungsamt"
        self.stdout.write(f"  Benutzername: {DEMO_DEPARTMENT_USERNAME}  ({dept_role})")
        self.stdout.write(f"  Passwort:     {password}")
        self.stdout.write("  (Das Passwort wird bei jedem Aufruf von `stadtdigital demo` neu vergeben.)")
        self.stdout.write("")

        if options["load_only"]:
            return
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

    @transaction.atomic
    def reset_demo_accounts(self) -> str:
        """Creates (or resets) the demo logins with a new random password; returns it."""
        roles.ensure_role_groups()
        password = secrets.token_urlsafe(12)
        User = get_user_model()  # noqa: N806
        office, _ = User.objects.get_or_create(username=DEMO_USERNAME)
        office.first_name, office.last_name = "Demo", "Digitalisierungsbüro"
        office.is_active, office.is_staff, office.is_superuser = True, False, False
        office.set_password(password)
        office.save()
        office.groups.set([Group.objects.get(name=roles.DIGITAL_OFFICE)])

        dept_user, _ = User.objects.get_or_create(username=DEMO_DEPARTMENT_USERNAME)
        dept_user.first_name, dept_user.last_name = "Demo", "Fachbereich"
        dept_user.is_active, dept_user.is_staff, dept_user.is_superuser = True, False, False
        dept_user.set_password(password)
        dept_user.save()
        dept_user.groups.set([Group.objects.get(name=roles.DEPARTMENT_STAFF)])
        department = Department.objects.filter(slug=DEMO_DEPARTMENT_SLUG).first()
        if department is not None:
            dept_user.departments.set([department])
        return password


def start_worker_thread(interval: float = 1.0):
    """Runs the django-tasks database worker in a daemon thread of this process; returns the worker.

    The thread dies with the server process; setting `worker.running = False` stops it after its current
    task. Only runs when the default task backend is the database backend.
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
