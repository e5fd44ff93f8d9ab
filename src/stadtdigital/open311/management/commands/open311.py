"""`stadtdigital open311 create-key|list-keys|revoke-key`: API keys for Open311 client applications."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stadtdigital.open311 import services
from stadtdigital.open311.models import ApiClient


class Command(BaseCommand):
    help = "API-Schlüssel der Open311-Schnittstelle anlegen, auflisten und sperren."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create-key,list-keys,revoke-key}"
        )
        create = actions.add_parser(
            "create-key",
            help="Neuen Schlüssel für eine Client-Anwendung anlegen; gibt nur den Schlüssel aus.",
            description=(
                "Legt einen Client mit neuem Schlüssel an und schreibt nur den Schlüssel auf die "
                "Standardausgabe (z. B. KEY=$(stadtdigital open311 create-key 'Stadt-App')). "
                "Gespeichert wird nur ein Hash; der Schlüssel lässt sich später nicht mehr anzeigen."
            ),
        )
        create.add_argument("name", metavar="NAME", help="Name der Client-Anwendung")
        create.add_argument(
            "--rate-limit",
            type=int,
            metavar="N",
            help="höchstens N Anfragen pro Stunde (Standard: OPEN311_KEY_RATE_LIMIT_PER_HOUR, 1000)",
        )
        create.add_argument(
            "--relay",
            action="store_true",
            help=(
                "der Client reicht Meldungen vieler Menschen über einen eigenen Server weiter: nur die "
                "Grenze des Schlüssels gilt, nicht die Grenze je Internetadresse"
            ),
        )
        actions.add_parser(
            "list-keys",
            help="Alle Clients mit Schlüsselanfang, Nutzung und Status auflisten.",
            description=(
                "Listet alle Clients: Schlüsselanfang, Name, angelegt, zuletzt benutzt, Anfragen, Status."
            ),
        )
        revoke = actions.add_parser(
            "revoke-key",
            help="Schlüssel anhand seines Anfangs sperren.",
            description=(
                "Sperrt den Schlüssel, der mit PREFIX beginnt (die ersten 8 Zeichen, siehe list-keys)."
            ),
        )
        revoke.add_argument("prefix", metavar="PREFIX", help="Anfang des Schlüssels (bis zu 8 Zeichen)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create-key":
            self._create(options["name"], options["rate_limit"], options["relay"])
        elif action == "list-keys":
            self._list()
        else:
            self._revoke(options["prefix"])

    def _create(self, name: str, rate_limit: int | None, relay: bool) -> None:
        if not name.strip():
            raise CommandError("Bitte einen Namen angeben.")
        if rate_limit is not None and rate_limit < 0:
            raise CommandError("--rate-limit darf nicht negativ sein.")
        client, key = services.create_key(name, rate_limit_per_hour=rate_limit, relays_for_many=relay)
        self.stdout.write(key)
        self.stderr.write(f"Client „{client.name}“ angelegt (Schlüsselanfang {client.key_prefix}).")

    def _list(self) -> None:
        def when(value):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"

        clients = ApiClient.objects.order_by("created_at", "pk")
        if not clients:
            self.stderr.write("Noch keine Schlüssel.")
            return
        self.stdout.write("PREFIX\tNAME\tANGELEGT\tZULETZT\tANFRAGEN\tSTATUS")
        for client in clients:
            status = f"gesperrt {when(client.revoked_at)}" if client.revoked_at else "aktiv"
            self.stdout.write(
                f"{client.key_prefix}\t{client.name}\t{when(client.created_at)}\t"
                f"{when(client.last_used_at)}\t{client.requests_count}\t{status}"
            )

    def _revoke(self, prefix: str) -> None:
        prefix = prefix.strip()
        if len(prefix) < 4:
            raise CommandError("Bitte mindestens 4 Zeichen des Schlüsselanfangs angeben.")
        matches = list(services.find_by_prefix(prefix))
        if not matches:
            raise CommandError(f"Kein Schlüssel beginnt mit „{prefix}“.")
        if len(matches) > 1:
            names = ", ".join(f"{client.key_prefix} ({client.name})" for client in matches)
            raise CommandError(f"Mehrere Schlüssel beginnen mit „{prefix}“: {names}. Bitte genauer angeben.")
        client = matches[0]
        if services.revoke(client):
            self.stdout.write(f"Schlüssel {client.key_prefix} („{client.name}“) gesperrt.")
        else:
            self.stdout.write(f"Schlüssel {client.key_prefix} („{client.name}“) war bereits gesperrt.")
