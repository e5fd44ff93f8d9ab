"""`stadtdigital reports <subcommand>`: maintenance of the Mängelmelder.

Each subcommand is a small class in SUBCOMMANDS (name, help, add_arguments, handle); add one there to
extend the command.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from stadtdigital.reports.management.sending import SENDING_SUBCOMMANDS


class Subcommand:
    name = ""
    help = ""

    def add_arguments(self, parser):
        pass

    def handle(self, command: BaseCommand, options: dict):
        raise NotImplementedError


class Generate(Subcommand):
    name = "generate"
    help = "Erzeugt schnell viele synthetische Anliegen (für Lasttests), z. B. --count 1000000."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Anzahl neuer Anliegen")
        parser.add_argument("--seed", type=int, default=0, help="Startwert des Zufallsgenerators (0)")
        parser.add_argument(
            "--no-events", action="store_true", help="ohne Eingangs-Eintrag im Verlauf (schneller)"
        )

    def handle(self, command, options):
        from stadtdigital.reports.demo import generate_reports

        count = options["count"]
        if count < 0:
            raise CommandError("--count darf nicht negativ sein.")
        started = time.monotonic()
        bar = ProgressBar(command.stderr, "Anliegen")
        generate_reports(count, seed=options["seed"], progress=bar.update, events=not options["no_events"])
        bar.finish()
        command.stdout.write(f"{count} synthetische Anliegen erzeugt in {time.monotonic() - started:.1f} s.")


class PurgePersonalData(Subcommand):
    name = "purge-personal-data"
    help = (
        "Löscht Name, E-Mail und Telefon der Meldenden N Tage nach dem Abschluss "
        "(Standard: PERSONAL_DATA_RETENTION_DAYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Frist in Tagen nach dem Abschluss")
        parser.add_argument("--dry-run", action="store_true", help="nur zählen, nichts ändern")

    def handle(self, command, options):
        from django.conf import settings

        from stadtdigital.reports.services.privacy import purge_personal_data, purgeable_reports

        days = settings.PERSONAL_DATA_RETENTION_DAYS if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError("--days darf nicht negativ sein.")
        if options["dry_run"]:
            count = purgeable_reports(days).count()
            command.stdout.write(f"{count} Anliegen würden bereinigt (Frist {days} Tage); nichts geändert.")
            return
        count = purge_personal_data(days=days)
        command.stdout.write(f"Personenbezogene Daten von {count} Anliegen gelöscht (Frist {days} Tage).")


class TrainAssist(Subcommand):
    name = "train-assist"
    help = (
        "Trainiert das Modell für Kategorievorschläge auf den eigenen Anliegen und speichert es als neue "
        "Version in der Datenbank (die der Worker auch täglich erstellt)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-evaluation",
            action="store_true",
            help="ohne die Auswertung (evaluate-assist) zu speichern",
        )

    def handle(self, command, options):
        from stadtdigital.reports.assist.training import train_and_store

        started = time.monotonic()

        def progress(stage, done):
            label = "Dokumenthäufigkeiten" if stage == "idf" else "Training"
            command.stderr.write(f"  {label}: {done} Anliegen", ending="\r")

        model = train_and_store(progress, evaluate=not options["skip_evaluation"])
        command.stderr.write("")
        if model is None:
            raise CommandError(
                "Zu wenige Anliegen: mindestens zwei Kategorien brauchen je "
                "ASSIST_MIN_REPORTS_PER_CATEGORY Anliegen."
            )
        command.stdout.write(
            f"Modell v{model.version} gespeichert: {model.training_reports} Anliegen, "
            f"{len(model.categories)} Kategorien, {len(model.data) / 1e6:.1f} MB, "
            f"{time.monotonic() - started:.1f} s."
        )


class EvaluateAssist(Subcommand):
    name = "evaluate-assist"
    help = (
        "Misst die Vorschläge: Top-1/Top-3-Treffer, Präzision und Recall je Kategorie (trainiert auf "
        "älteren, getestet auf neueren Anliegen), erkannte Fehlkategorisierungen, Duplikaterkennung."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--test-share", type=float, default=0.2, help="Anteil der neuesten Anliegen (0.2)"
        )
        parser.add_argument("--json", action="store_true", help="Ergebnis als JSON ausgeben")

    def handle(self, command, options):
        import json

        from stadtdigital.reports.assist.evaluation import evaluate, lines

        if not 0.05 <= options["test_share"] <= 0.5:
            raise CommandError("--test-share muss zwischen 0.05 und 0.5 liegen.")

        def progress(stage, done):
            command.stderr.write(f"  {stage}: {done} Anliegen", ending="\r")

        result = evaluate(options["test_share"], progress).as_dict()
        command.stderr.write("")
        if options["json"]:
            command.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            for line in lines(result):
                command.stdout.write(line)


class RenderOpendata(Subcommand):
    name = "render-opendata"
    help = (
        "Rendert anliegen.csv und anliegen.geojson blockweise und speichert, was fehlt oder veraltet ist, "
        "wie der tägliche Job (z. B. nach einem Update oder einem Import); ganze Downloads kopieren dann "
        "die gespeicherten Blöcke."
    )

    def handle(self, command, options):
        from stadtdigital.reports.opendata import rendered_blocks

        if not rendered_blocks.enabled():
            raise CommandError("OPENDATA_RENDERED_BLOCKS ist ausgeschaltet: nichts zu rendern.")
        started = time.monotonic()
        bars: dict[str, ProgressBar] = {}

        def progress(fmt: str, done: int, total: int):
            bar = bars.setdefault(fmt, ProgressBar(command.stderr, f"Blöcke {fmt}"))
            if done == total or done % 10 == 0:
                bar.update(done, total)
                if done == total:
                    bar.finish()

        rendered = rendered_blocks.refresh(progress)
        command.stdout.write(
            f"{rendered} Blöcke gerendert und gespeichert in {time.monotonic() - started:.1f} s."
        )


SUBCOMMANDS: list[Subcommand] = [
    Generate(),
    PurgePersonalData(),
    TrainAssist(),
    EvaluateAssist(),
    RenderOpendata(),
    *SENDING_SUBCOMMANDS,
]


class ProgressBar:
    def __init__(self, stream, label: str, width: int = 30):
        self.stream, self.label, self.width = stream, label, width
        self.started = time.monotonic()
        self.tty = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)()

    def update(self, done: int, total: int, note: str = ""):
        share = done / total if total else 1
        filled = int(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"{self.label}: [{bar}] {done}/{total} ({share:.0%}, {time.monotonic() - self.started:.0f} s)"
        line += f", {note}" if note else ""
        if self.tty:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def finish(self):
        if self.tty:
            self.stream.write("")


class Command(BaseCommand):
    help = "Wartung des Mängelmelders: " + ", ".join(s.name for s in SUBCOMMANDS) + "."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", metavar="subcommand", required=True)
        for sub in SUBCOMMANDS:
            sub_parser = subparsers.add_parser(sub.name, help=sub.help, description=sub.help)
            sub.add_arguments(sub_parser)

    def handle(self, *args, **options):
        by_name = {sub.name: sub for sub in SUBCOMMANDS}
        sub = by_name.get(options["subcommand"])
        if sub is None:  # pragma: no cover - argparse already refuses unknown names
            raise CommandError(f"Unbekannter Unterbefehl: {options['subcommand']}")
        sub.handle(self, options)
