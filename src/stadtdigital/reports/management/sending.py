"""Subcommands of `stadtdigital reports` for sending (decision 0023): send-target, send-targets,
import-areas, import-open311 (registered in commands/reports.py)."""

import sys

from django.core.management.base import CommandError
from django.db import transaction


class SendTargetCommand:
    name = "send-target"
    help = (
        "Legt eine Empfangsstelle an oder ändert sie (Versandart, Adresse, Kategorien). Zugangsschlüssel "
        "nur über --secret-stdin oder --secret-env, nie als Argument; sie werden nie wieder angezeigt."
    )

    def add_arguments(self, parser):
        parser.add_argument("target_name", metavar="NAME", help="Name der Stelle (z. B. „Landratsamt“)")
        parser.add_argument("--method", choices=["record", "email", "open311", "webhook"])
        parser.add_argument("--endpoint", help="E-Mail-Adresse, Open311-Basis-URL oder Webhook-URL")
        parser.add_argument("--jurisdiction", help="Open311 jurisdiction_id")
        parser.add_argument("--secret-stdin", action="store_true", help="Zugangsschlüssel von stdin lesen")
        parser.add_argument(
            "--secret-env", metavar="VAR", help="Zugangsschlüssel aus dieser Umgebungsvariable"
        )
        parser.add_argument("--department", metavar="SLUG", help="Standard für diesen Fachbereich")
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            metavar="CODE",
            help="Kategorie hierhin senden (mehrfach)",
        )
        parser.add_argument(
            "--service-code", action="append", default=[], metavar="OURS=THEIRS", help="Open311-Codezuordnung"
        )
        parser.add_argument(
            "--inbound-secret",
            action="store_true",
            help="neuen Schlüssel für Rückmeldungen erzeugen und ausgeben",
        )
        parser.add_argument("--inactive", action="store_true", help="Stelle deaktivieren")

    def handle(self, command, options):
        from stadtdigital.core.models import Department
        from stadtdigital.reports.models import Category, CategorySending, SendMethod, SendTarget
        from stadtdigital.reports.sending import credentials

        name = options["target_name"].strip()
        target = SendTarget.objects.filter(name=name).first()
        if target is None and not options["method"]:
            raise CommandError(f"„{name}“ gibt es noch nicht: bitte --method angeben.")
        target = target or SendTarget(name=name)
        if options["method"]:
            target.method = options["method"]
        if options["endpoint"] is not None:
            target.endpoint = options["endpoint"].strip()
        if options["jurisdiction"] is not None:
            target.jurisdiction_id = options["jurisdiction"].strip()
        if options["secret_env"] is not None:
            target.secret_env = options["secret_env"].strip()
        if options["secret_stdin"]:
            secret = sys.stdin.readline().strip()
            if not secret:
                raise CommandError("Kein Zugangsschlüssel auf stdin.")
            credentials.set_secret(target, secret)
        if options["inactive"]:
            target.is_active = False
        if (
            target.method in (SendMethod.OPEN311, SendMethod.WEBHOOK, SendMethod.EMAIL)
            and not target.endpoint
        ):
            raise CommandError(f"Versandart {target.method} braucht --endpoint.")
        if target.method == SendMethod.WEBHOOK and not credentials.has_secret(target):
            raise CommandError(
                "Ein Webhook braucht einen Signaturschlüssel (--secret-stdin oder --secret-env)."
            )
        codes = dict(target.service_codes or {})
        for pair in options["service_code"]:
            ours, sep, theirs = pair.partition("=")
            if not sep or not ours or not theirs:
                raise CommandError(f"--service-code {pair!r}: bitte als unser-code=ihr-code.")
            codes[ours.strip()] = theirs.strip()
        target.service_codes = codes
        categories = []
        for code in options["category"]:
            category = Category.objects.filter(code=code).first()
            if category is None:
                raise CommandError(f"Kategorie {code!r} gibt es nicht.")
            categories.append(category)
        department = None
        if options["department"]:
            department = Department.objects.filter(slug=options["department"]).first()
            if department is None:
                raise CommandError(f"Fachbereich {options['department']!r} gibt es nicht.")
        inbound = ""
        with transaction.atomic():
            if department is not None:
                SendTarget.objects.filter(department=department).exclude(pk=target.pk).update(department=None)
                target.department = department
            if options["inbound_secret"]:
                inbound = credentials.new_inbound_secret(target)
            target.save()
            for category in categories:
                CategorySending.objects.update_or_create(category=category, defaults={"target": target})
        command.stdout.write(f"Empfangsstelle „{target.name}“ gespeichert ({target.get_method_display()}).")
        if inbound:
            command.stdout.write(f"Schlüssel für Rückmeldungen (nur jetzt sichtbar): {inbound}")
            command.stdout.write(f"Rückmeldeadresse: /anliegen/rueckmeldung/{target.pk}/")


class SendTargetsCommand:
    name = "send-targets"
    help = "Listet die Empfangsstellen mit Versandart, Adresse, Kategorien und Versandstand."

    def add_arguments(self, parser):
        pass

    def handle(self, command, options):
        from django.db.models import Count, Q

        from stadtdigital.reports.models import SendTarget

        targets = SendTarget.objects.annotate(
            failed=Count("dispatches", filter=Q(dispatches__state="failed")),
            pending=Count("dispatches", filter=Q(dispatches__state="pending")),
        ).prefetch_related("category_settings__category")
        for target in targets:
            codes = ",".join(s.category.code for s in target.category_settings.all()) or "-"
            secret = "ja" if target.secret_encrypted or target.secret_env else "nein"
            command.stdout.write(
                f"{target.name}\t{target.method}\t{target.endpoint or '-'}\tKategorien: {codes}\t"
                f"Schlüssel: {secret}\twartend: {target.pending}\tfehlgeschlagen: {target.failed}"
            )


def _date(value: str, name: str):
    import datetime

    from django.utils import timezone

    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} {value!r}: bitte als JJJJ-MM-TT.") from None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ImportOpen311Command:
    name = "import-open311"
    help = (
        "Übernimmt die Anliegen eines anderen Open311-GeoReport-v2-Servers (Mark-a-Spot, FixMyStreet, "
        "Klarschiff, stadtdigital) per URL oder aus gespeicherten JSON/XML-Antworten; doppelte werden "
        "erkannt. Ohne Datumsangaben gilt das Standardfenster des Servers."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--url", metavar="BASE", help="Endpunkt wie in discovery, z. B. https://x.example/open311/v2"
        )
        source.add_argument(
            "--from-file", action="append", metavar="PATH", help="gespeicherte requests-Antwort (mehrfach)"
        )
        parser.add_argument("--api-key", metavar="KEY", help="api_key des anderen Servers (falls nötig)")
        parser.add_argument("--jurisdiction", metavar="ID", help="jurisdiction_id")
        parser.add_argument("--mapping", metavar="FILE", help='JSON {"ihr-code": "unser-code"}')
        parser.add_argument("--start-date", metavar="D", help="ab diesem Tag (JJJJ-MM-TT)")
        parser.add_argument("--end-date", metavar="D", help="bis zu diesem Tag (JJJJ-MM-TT)")
        parser.add_argument(
            "--source",
            metavar="NAME",
            help="Name der Quelle für die Erkennung doppelter Anliegen (Standard: Host und Pfad der URL; "
            "bei Dateien: 'datei')",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="nichts speichern; schreibt eine Vorlage für die Zuordnung nicht zugeordneter Codes",
        )
        parser.add_argument(
            "--template", metavar="FILE", default="open311-zuordnung.json", help="Pfad der Vorlage (Dry Run)"
        )

    def handle(self, command, options):
        import json
        from pathlib import Path

        from stadtdigital.reports.management.commands.reports import ProgressBar
        from stadtdigital.reports.sending.base import SendError
        from stadtdigital.reports.services import import_open311 as importer

        start = _date(options["start_date"], "--start-date") if options["start_date"] else None
        end = _date(options["end_date"], "--end-date") if options["end_date"] else None
        if start and end and end < start:
            raise CommandError("--end-date liegt vor --start-date.")
        try:
            mapping = importer.load_mapping(options["mapping"])
        except importer.ImportError_ as exc:
            raise CommandError(str(exc)) from exc
        if options["url"]:
            source = options["source"] or importer.source_of(options["url"])
        else:
            source = options["source"] or "datei"
        job = importer.Importer(source=source, mapping=mapping, dry_run=options["dry_run"])
        bar = ProgressBar(command.stderr, "Service Requests")
        try:
            if options["url"]:
                # Progress by 90-day window (the server does not say how many requests there are), with
                # the number read so far.
                windows = ProgressBar(command.stderr, "Zeitfenster")
                pages = importer.read_url(
                    options["url"],
                    api_key=options["api_key"] or "",
                    jurisdiction=options["jurisdiction"] or "",
                    start=start,
                    end=end,
                    on_window=lambda done, total: windows.update(
                        done, total, f"{job.summary.read} Service Requests gelesen"
                    ),
                )
                for rows in pages:
                    job.add(rows)
            else:
                paths = options["from_file"]
                for index, path in enumerate(paths, start=1):
                    try:
                        text = Path(path).read_text(encoding="utf-8")
                    except OSError as exc:
                        raise CommandError(f"{path}: {exc}") from exc
                    try:
                        job.add(importer.parse_document(text))
                    except importer.ImportError_ as exc:
                        raise CommandError(f"{path}: {exc}") from exc
                    bar.update(index, len(paths))
        except SendError as exc:
            raise CommandError(f"Server: {exc.message}") from exc
        bar.finish()
        summary = job.summary
        verb = "würden übernommen" if options["dry_run"] else "übernommen"
        command.stdout.write(
            f"{summary.read} gelesen, {summary.imported} {verb}, {summary.already} schon vorhanden "
            f"(Quelle {source})."
        )
        for pair, count in sorted(summary.mapped.items()):
            command.stdout.write(f"  zugeordnet {pair}: {count}")
        for code, count in sorted(summary.unmapped.items()):
            name = summary.names.get(code, "")
            command.stdout.write(
                f"  übersprungen, keine Kategorie für service_code {code!r} ({name}): {count}"
            )
        for reason, count in sorted(summary.skipped.items()):
            command.stdout.write(f"  übersprungen, {reason}: {count}")
        if options["dry_run"]:
            template = job.template()
            if template:
                Path(options["template"]).write_text(
                    json.dumps(template, ensure_ascii=False, indent=2) + "\n"
                )
                command.stdout.write(
                    f"Vorlage für die Zuordnung geschrieben: {options['template']} "
                    "(unsere Codes eintragen, dann mit --mapping verwenden)."
                )


class ImportAreasCommand:
    name = "import-areas"
    help = (
        "Importiert Zuständigkeitsgebiete (GeoJSON-Flächen) für eine Stelle: einen Fachbereich (Name oder "
        "Kurzname) oder eine Empfangsstelle."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.geojson")
        parser.add_argument("--body", required=True, metavar="NAME", help="Fachbereich oder Empfangsstelle")
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            metavar="CODE",
            help="nur für diese Kategorie (mehrfach)",
        )
        parser.add_argument("--replace", action="store_true", help="frühere Gebiete dieser Stelle ersetzen")

    def handle(self, command, options):
        from django.db.models import Q

        from stadtdigital.core.models import Department
        from stadtdigital.reports.models import Category, SendTarget
        from stadtdigital.reports.sending.areas import AreaImportError, import_areas

        body = options["body"].strip()
        target = SendTarget.objects.filter(name__iexact=body).first()
        department = None
        if target is None:
            department = Department.objects.filter(
                Q(name__iexact=body) | Q(slug=body) | Q(short_name__iexact=body)
            ).first()
        if target is None and department is None:
            raise CommandError(
                f"Keine Empfangsstelle und kein Fachbereich „{body}“ "
                "(zuerst: stadtdigital reports send-target)."
            )
        categories = []
        for code in options["category"]:
            category = Category.objects.filter(code=code).first()
            if category is None:
                raise CommandError(f"Kategorie {code!r} gibt es nicht.")
            categories.append(category)
        try:
            summary = import_areas(
                options["file"],
                department=department,
                target=target,
                categories=categories,
                replace=options["replace"],
            )
        except AreaImportError as exc:
            raise CommandError(str(exc)) from exc
        command.stdout.write(f"{summary.created} Gebiete für „{target or department}“ importiert.")
        for reason in summary.skipped:
            command.stdout.write(f"  übersprungen: {reason}")


class ReceiveReplyCommand:
    name = "receive-reply"
    help = (
        "Übernimmt eine Antwort-E-Mail einer Empfangsstelle (an SENDING_REPLY_TO) als interne Notiz ins "
        "Anliegen; liest die E-Mail von der Standardeingabe (Pipe des Mailservers) oder aus --file. "
        "Exit-Code nach sysexits: 65 unlesbar, 67 kein Anliegen, 77 Absender nicht berechtigt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", metavar="PATH", default="-", help="E-Mail-Datei (Standard: Eingabe)")

    def handle(self, command, options):
        import sys
        from pathlib import Path

        from stadtdigital.reports.sending.replies import ReplyRefused, receive_reply

        path = options["file"]
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc}", returncode=65) from exc
        try:
            result = receive_reply(raw)
        except ReplyRefused as exc:
            raise CommandError(exc.message, returncode=exc.exit_code) from exc
        done = "übernommen" if result.new else "war schon übernommen"
        command.stdout.write(f"Antwort von „{result.target_name}“ zu Anliegen Nr. {result.report.pk} {done}.")


SENDING_SUBCOMMANDS = [
    SendTargetCommand(),
    SendTargetsCommand(),
    ImportOpen311Command(),
    ImportAreasCommand(),
    ReceiveReplyCommand(),
]
