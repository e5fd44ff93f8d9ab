"""`stadtdigital opendata list|export|refresh-sizes`: the open data downloads on the command line.

`export` writes any distribution to a file, e.g. from cron to a file server or a portal's upload folder:
the file appears under its name only when it is complete (written to a temporary file next to it, then
renamed), so a reader never sees half a file.
"""

import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stadtdigital.opendata import services
from stadtdigital.opendata.period import PeriodError, parse_period
from stadtdigital.opendata.registry import (
    Dataset,
    Distribution,
    Period,
    all_datasets,
    get_dataset,
    version_tag,
)


class ProgressBar:
    """`label: [#####.....] done/total (50%, 3 s)` on stderr.

    On a terminal one line is redrawn in place; otherwise (cron, a log file) a line is written at every
    tenth of the way, so logs stay short. Same look as `stadtdigital reports generate`.
    """

    STEPS = 10
    REDRAW_SECONDS = 0.2

    def __init__(self, stream, label: str, total: int, unit: str = "", width: int = 30):
        self.stream, self.label, self.total, self.unit, self.width = stream, label, total, unit, width
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self.done = 0
        self.shown_step = -1
        self.drawn_at = 0.0

    def update(self, done: int) -> None:
        self.done = done
        share = min(done / self.total, 1) if self.total else 1
        if self.tty:
            now = time.monotonic()
            if now - self.drawn_at >= self.REDRAW_SECONDS or share >= 1:
                self.drawn_at = now
                self.stream.write("\r" + self._line(share), ending="")
                self.stream.flush()
        else:
            step = int(share * self.STEPS)
            if step > self.shown_step:
                self.shown_step = step
                self.stream.write(self._line(share))

    def finish(self) -> None:
        self.update(self.total)
        if self.tty:
            self.stream.write("")

    def _line(self, share: float) -> str:
        filled = int(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        unit = f" {self.unit}" if self.unit else ""
        elapsed = time.monotonic() - self.started
        return f"{self.label}: [{bar}] {self.done}/{self.total}{unit} ({share:.0%}, {elapsed:.0f} s)"


def _names(items) -> str:
    return ", ".join(items) or "keine"


class Command(BaseCommand):
    help = (
        "Offene Daten: Datensätze auflisten, einen Download in eine Datei schreiben (z. B. per cron) und "
        "die auf /opendata/ angezeigten Dateigrößen messen."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{list,export,refresh-sizes}")
        actions.add_parser(
            "list",
            help="Alle Datensätze mit Formaten und Zahl der Einträge auflisten.",
            description=(
                "Listet alle veröffentlichten Datensätze: Kennung (für --dataset), Formate, Einträge, ob "
                "sie sich nach Zeitraum filtern lassen, und Titel; durch Tabulatoren getrennt."
            ),
        )
        export = actions.add_parser(
            "export",
            help="Einen Datensatz in einem Format in eine Datei schreiben.",
            description=(
                "Schreibt einen Download von /opendata/ in eine Datei, mit Fortschrittsanzeige auf der "
                "Fehlerausgabe. Die Datei entsteht erst vollständig unter ihrem Namen (temporäre Datei im "
                "selben Verzeichnis, dann umbenannt); bei einem Fehler bleibt eine vorhandene Datei "
                "unverändert. Ausgabe: Pfad und Größe."
            ),
        )
        export.add_argument(
            "--dataset", required=True, metavar="NAME", help="Kennung des Datensatzes (siehe opendata list)"
        )
        export.add_argument(
            "--format", required=True, metavar="FORMAT", help="Format, z. B. csv, json, xlsx, geojson, pdf"
        )
        export.add_argument("--output", required=True, metavar="PFAD", help="Zieldatei")
        export.add_argument(
            "--start-date",
            metavar="JJJJ-MM-TT",
            help="nur Daten ab diesem Tag (einschließlich); nur bei Datensätzen mit Zeitraumfilter",
        )
        export.add_argument(
            "--end-date",
            metavar="JJJJ-MM-TT",
            help="nur Daten bis zu diesem Tag (einschließlich); nur bei Datensätzen mit Zeitraumfilter",
        )
        actions.add_parser(
            "refresh-sizes",
            help="Größen aller vollständigen Downloads messen, deren Größe fehlt oder veraltet ist.",
            description=(
                "Erzeugt jeden Download, dessen Größe für den aktuellen Datenstand noch nicht bekannt ist, "
                "und speichert seine Größe (angezeigt auf /opendata/ und im Katalog). Läuft auch täglich "
                "im Hintergrund (stadtdigital worker)."
            ),
        )

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            self._list()
        elif action == "export":
            self._export(options)
        else:
            self._refresh_sizes()

    def _list(self) -> None:
        datasets = all_datasets()
        if not datasets:
            self.stderr.write("Noch keine Datensätze.")
            return
        self.stdout.write("NAME\tFORMATE\tEINTRÄGE\tZEITRAUMFILTER\tTITEL")
        for dataset in datasets:
            rows = dataset.row_count(Period())
            self.stdout.write(
                f"{dataset.name}\t{','.join(d.key for d in dataset.distributions)}\t"
                f"{'-' if rows is None else rows}\t{'ja' if dataset.supports_period else 'nein'}\t"
                f"{dataset.title}"
            )

    def _export(self, options) -> None:
        name, fmt = options["dataset"], options["format"]
        try:
            period = parse_period(options["start_date"], options["end_date"])
        except PeriodError as exc:
            message = str(exc).replace("start_date", "--start-date").replace("end_date", "--end-date")
            raise CommandError(message) from None
        dataset = get_dataset(name)
        if dataset is None:
            available = _names(d.name for d in all_datasets())
            raise CommandError(f"Unbekannter Datensatz „{name}“. Verfügbar: {available}")
        distribution = dataset.distribution(fmt)
        if distribution is None:
            formats = _names(d.key for d in dataset.distributions)
            raise CommandError(f"Den Datensatz „{name}“ gibt es nicht als „{fmt}“. Formate: {formats}")
        if period and not dataset.supports_period:
            raise CommandError(
                f"Den Datensatz „{name}“ gibt es nur vollständig; --start-date und --end-date weglassen."
            )
        output = Path(options["output"])
        if output.is_dir():
            raise CommandError(f"'{output}' ist ein Verzeichnis; bitte einen Dateinamen angeben.")

        # Before streaming: if the data changes meanwhile, the size is recorded for the older version.
        version = version_tag(dataset, distribution, period)
        rows = dataset.row_count(period)
        size = self._write(dataset, distribution, period, rows, output)
        if not period:
            services.record_byte_size(dataset, distribution, version, size, rows)
        rows_text = "" if rows is None or distribution.byte_size else f", {rows} Einträge"
        self.stdout.write(self.style.SUCCESS(f"{output} ({size} Bytes{rows_text})"))

    def _write(self, dataset: Dataset, distribution: Distribution, period: Period, rows, output: Path) -> int:
        """Streams into a temporary file next to `output`, then renames it; returns the size in bytes."""
        label = f"{dataset.name}.{distribution.key}"
        known_size = distribution.byte_size() if distribution.byte_size else None
        # Stored files (a report's PDF) know their size: counted in bytes. Streamed ones report rows.
        by_rows = known_size is None and rows is not None
        total = rows if by_rows else known_size
        bar = ProgressBar(self.stderr, label, total, "Einträge" if by_rows else "Bytes") if total else None
        try:
            descriptor, temporary = tempfile.mkstemp(
                dir=output.parent, prefix=f".{output.name}.", suffix=".unfertig"
            )
        except OSError as exc:
            raise CommandError(f"'{output}' kann nicht geschrieben werden: {exc.strerror}") from None
        size = 0
        try:
            with os.fdopen(descriptor, "wb") as handle:
                progress = bar.update if bar and by_rows else None
                for chunk in distribution.stream(period, progress):
                    handle.write(chunk)
                    size += len(chunk)
                    if bar and not by_rows:
                        bar.update(size)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp creates the file for its owner only; a published file is as readable as any other.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, output)
        except BaseException as exc:
            Path(temporary).unlink(missing_ok=True)
            if bar and bar.tty:
                self.stderr.write("")
            if isinstance(exc, OSError):
                raise CommandError(
                    f"'{output}' kann nicht geschrieben werden: {exc.strerror or exc}"
                ) from None
            if isinstance(exc, LookupError):  # the data went away while exporting (a deleted report)
                raise CommandError(str(exc)) from None
            raise
        if bar:
            bar.finish()
        return size

    def _refresh_sizes(self) -> None:
        bars: dict[str, ProgressBar] = {}

        def on_start(dataset, distribution):
            rows = dataset.row_count(Period())
            if not rows:
                return None
            bar = ProgressBar(self.stderr, f"{dataset.name}.{distribution.key}", rows, "Einträge")
            bars[dataset.name, distribution.key] = bar
            return bar.update

        def on_done(dataset, distribution, size):
            bar = bars.pop((dataset.name, distribution.key), None)
            if size is None:
                self.stderr.write(
                    self.style.ERROR(f"{dataset.name}.{distribution.key}: Messung fehlgeschlagen (siehe Log)")
                )
                return
            if bar:
                bar.finish()
            self.stdout.write(f"{dataset.name}.{distribution.key}: {size} Bytes")

        measured = services.refresh_sizes(on_start=on_start, on_done=on_done)
        if measured:
            self.stdout.write(self.style.SUCCESS(f"{measured} Größen gemessen."))
        else:
            self.stdout.write("Alle Größen sind aktuell.")
