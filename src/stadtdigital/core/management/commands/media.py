"""`stadtdigital media migrate-to-storage`: moves an installation's photos from MEDIA_ROOT to object storage.

Run it with the object storage settings of the new setup (MEDIA_STORAGE_URL, AWS_ACCESS_KEY_ID, ...) and
MEDIA_ROOT pointing at the old directory (or --source). Resumable and verified: see core/media_migration.py.
Exit code 0 when every file is in the bucket with its checksum, 1 when a file differs or failed.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stadtdigital.core.media_migration import StorageNotConfigured, check_target, migrate_media

MIGRATE = "migrate-to-storage"


class Command(BaseCommand):
    help = "Mediendateien verwalten: migrate-to-storage kopiert MEDIA_ROOT in den Objektspeicher."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", metavar="subcommand", required=True)
        migrate = subparsers.add_parser(
            MIGRATE,
            help="Kopiert alle Dateien aus MEDIA_ROOT in den Objektspeicher (fortsetzbar, mit Prüfsummen).",
            description=(
                "Kopiert Fotos, Vorschaubilder und unverarbeitete Uploads aus dem lokalen Verzeichnis in den "
                "konfigurierten Objektspeicher (MEDIA_STORAGE_URL). Dateien, die dort schon mit gleicher "
                "Prüfsumme liegen, werden übersprungen; jede kopierte Datei wird danach geprüft (MD5 bzw. "
                "SHA-256). Unverarbeitete Uploads bleiben privat. Exit-Code 1, wenn eine Datei abweicht."
            ),
        )
        migrate.add_argument(
            "--source", type=Path, default=None, help="lokales Verzeichnis (Standard: MEDIA_ROOT)"
        )
        migrate.add_argument("--dry-run", action="store_true", help="nur zählen, was kopiert würde")

    def handle(self, *args, **options):
        source = Path(options["source"] or settings.MEDIA_ROOT)
        if not source.is_dir():
            raise CommandError(f"Quellverzeichnis {source} gibt es nicht.")
        try:
            check_target()
        except StorageNotConfigured as exc:
            raise CommandError(str(exc)) from None
        summary = migrate_media(source, dry_run=options["dry_run"], progress=self._progress)
        verb = "würden kopiert" if options["dry_run"] else "kopiert"
        self.stdout.write(
            f"{summary.copied} Dateien {verb} ({summary.bytes_copied / 1e6:.1f} MB), "
            f"{summary.replaced} ersetzt, {summary.skipped} schon vorhanden (gleiche Prüfsumme), "
            f"{len(summary.mismatched)} abweichend, {len(summary.failed)} fehlgeschlagen."
        )
        for name in summary.mismatched:
            self.stderr.write(f"Prüfsumme weicht ab: {name}")
        for line in summary.failed:
            self.stderr.write(f"Fehlgeschlagen: {line}")
        if not summary.ok:
            sys.exit(1)

    def _progress(self, done: int, total: int, name: str) -> None:
        # One line per file on a terminal would scroll away; every 100th file and the last one are enough.
        if done == total or done % 100 == 0:
            self.stderr.write(f"{done} von {total} Dateien geprüft ({done * 100 // total} %)")
