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


SENDING_SUBCOMMANDS = [SendTargetCommand(), SendTargetsCommand()]
