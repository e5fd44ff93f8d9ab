"""`stadtdigital portfolio import|export`: the project portfolio as CSV or XLSX on the command line."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stadtdigital.portfolio import exporting, importing
from stadtdigital.portfolio.tabular import FileFormat, TableError, detect_format


class Command(BaseCommand):
    # Import and export need no URL or template checks; skipping them keeps the web views' libraries
    # (e.g. scikit-learn for the assistance) out of this process, so its memory is the file's
    # (bench/hostile_xlsx.py).
    requires_system_checks = []
    help = (
        "Projektportfolio als CSV oder XLSX importieren oder exportieren (docs/portfolio-import-format.md)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")

        import_parser = actions.add_parser(
            "import",
            help="Projekte aus einer .csv- oder .xlsx-Datei anlegen und aktualisieren.",
            description=(
                "Liest eine .csv- oder .xlsx-Datei (eine Zeile je Projekt) und legt Projekte an oder "
                "aktualisiert sie anhand der Kennung. Enthält eine Zeile einen Fehler, wird nichts geändert."
            ),
        )
        import_parser.add_argument("file", metavar="DATEI", help="Pfad zur .csv- oder .xlsx-Datei")
        import_parser.add_argument(
            "--dry-run",
            action="store_true",
            help="nur prüfen und anzeigen, was angelegt oder geändert würde; nichts speichern",
        )

        export_parser = actions.add_parser(
            "export",
            help="Alle Projekte als .csv oder .xlsx speichern (mit internen Feldern).",
            description=(
                "Schreibt alle Projekte einschließlich interner Felder in eine Datei, "
                "die sich wieder importieren lässt. CSV: UTF-8 mit BOM, Trennzeichen ';'."
            ),
        )
        export_parser.add_argument(
            "--format",
            choices=[f.value for f in FileFormat],
            help="Dateiformat; ohne Angabe aus der Endung von --output",
        )
        export_parser.add_argument("--output", required=True, metavar="PFAD", help="Zieldatei")

    def handle(self, *args, **options):
        if options["action"] == "import":
            self._import(Path(options["file"]), dry_run=options["dry_run"])
        else:
            self._export(Path(options["output"]), options["format"])

    def _progress_line(self, text: str) -> None:
        # Progress goes to stderr so stdout stays the result, usable in scripts.
        self.stderr.write(text)

    def _import(self, path: Path, *, dry_run: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Datei '{path}' kann nicht gelesen werden: {exc.strerror}") from None

        def progress(phase, done, total):
            if total >= importing.PROGRESS_EVERY:
                verb = "geprüft" if phase == "check" else "gespeichert"
                self._progress_line(f"{done} von {total} Zeilen {verb}")

        result = importing.import_portfolio(data, path.name, dry_run=dry_run, progress=progress)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Import abgebrochen: {len(result.problems)} Fehler in '{path.name}', nichts wurde geändert."
            )
        if dry_run:
            for plan in result.created:
                self.stdout.write(f"Zeile {plan.row}: neu: {plan.slug} ({plan.title})")
            for plan in result.updated:
                self.stdout.write(f"Zeile {plan.row}: geändert: {plan.slug}")
        for name in result.new_fields_of_action:
            self.stdout.write(f"Neues Handlungsfeld: {name}")
        for name in result.changed_partner_kinds:
            self.stdout.write(f"Partnerart geändert: {name}")
        summary = (
            f"{len(result.created)} neu, {len(result.updated)} geändert, {len(result.unchanged)} unverändert"
        )
        if dry_run:
            summary = f"Probelauf, nichts gespeichert: {summary}"
        self.stdout.write(self.style.SUCCESS(summary))

    def _export(self, output: Path, format_name: str | None) -> None:
        try:
            file_format = FileFormat(format_name) if format_name else detect_format(output.name)
        except TableError as exc:
            raise CommandError(f"{exc} (oder --format csv|xlsx angeben)") from None

        def progress(done, total):
            if total >= exporting.PROGRESS_EVERY:
                self._progress_line(f"{done} von {total} Projekten exportiert")

        # Written to memory first, so a failed export never leaves half a file at the target path.
        buffer = io.StringIO(newline="") if file_format is FileFormat.CSV else io.BytesIO()
        count = exporting.export_portfolio(file_format, buffer, progress=progress)
        data = buffer.getvalue()
        try:
            if isinstance(data, str):
                output.write_text(data, encoding="utf-8", newline="")
            else:
                output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"'{output}' kann nicht geschrieben werden: {exc.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"{count} Projekte nach {output} exportiert"))
