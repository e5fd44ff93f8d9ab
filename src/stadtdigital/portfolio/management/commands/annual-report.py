"""`stadtdigital annual-report`: builds the Digitalisierungsbericht as of a date, optionally publishes it."""

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stadtdigital.core.numbers import format_decimal_de
from stadtdigital.portfolio.annual_report.figures import build_report_data
from stadtdigital.portfolio.annual_report.publishing import PublishError, publish_report, stored_bytes
from stadtdigital.portfolio.annual_report.render import render

FORMATS = ("html", "pdf", "json", "csv")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--as-of: '{value}' ist kein Datum im Format JJJJ-MM-TT (z. B. 2021-06-30)."
        ) from exc


class Command(BaseCommand):
    help = (
        "Erzeugt den Digitalisierungsbericht zum Stichtag --as-of aus der Projekthistorie, als HTML, PDF, "
        "JSON (Anhang, siehe docs/annual-report-json.md) oder CSV (Anhang). Mit --publish wird er "
        "veröffentlicht und eingefroren (erscheint unter /berichte/<jahr>/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, metavar="JJJJ-MM-TT", help="Stichtag, z. B. 2021-06-30")
        parser.add_argument(
            "--format", choices=FORMATS, default="json", help="Ausgabeformat (Standard: json)"
        )
        parser.add_argument(
            "--output",
            "-o",
            metavar="PFAD",
            help="Zieldatei; '-' schreibt auf die Standardausgabe (Standard ohne --publish: '-')",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Bericht veröffentlichen: alle Formate einmal erzeugen und unveränderlich speichern",
        )
        parser.add_argument(
            "--year", type=int, help="Berichtsjahr beim Veröffentlichen (Standard: Jahr des Stichtags)"
        )
        parser.add_argument(
            "--title", help="Titel beim Veröffentlichen (Standard: 'Digitalisierungsbericht <Jahr>')"
        )

    def handle(self, *args, **options):
        as_of = _date(options["as_of"])
        fmt = options["format"]
        output = options["output"]
        if output is None and not options["publish"]:
            output = "-"
        target = None
        if output and output != "-":
            target = Path(output)
            parent = target.resolve().parent
            if not parent.is_dir():
                raise CommandError(f"--output: das Verzeichnis '{parent}' gibt es nicht.")
            if target.is_dir():
                raise CommandError(f"--output: '{target}' ist ein Verzeichnis, keine Datei.")

        if options["publish"]:
            try:
                report = publish_report(as_of=as_of, year=options["year"], title=options["title"])
            except PublishError as exc:
                raise CommandError(str(exc)) from exc
            self.stderr.write(
                f"Veröffentlicht: {report.title} (Stichtag {as_of:%d.%m.%Y}), /berichte/{report.year}/"
            )
            content = stored_bytes(report, fmt) if output else None
        else:
            if options["year"] or options["title"]:
                raise CommandError("--year und --title gelten nur zusammen mit --publish.")
            content = render(build_report_data(as_of), fmt)

        if content is None:
            return
        if target is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        try:
            target.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"--output: '{target}' lässt sich nicht schreiben ({exc.strerror}).") from exc
        self.stderr.write(f"{fmt.upper()} geschrieben: {target} ({format_decimal_de(len(content), 0)} Bytes)")
