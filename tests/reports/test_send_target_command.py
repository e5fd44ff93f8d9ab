"""`stadtdigital reports send-target` / `send-targets`: configure where reports go from the command line."""

import io
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from stadtdigital.reports.models import CategorySending, SendTarget
from stadtdigital.reports.sending import credentials


def run(*args, stdin=""):
    out = StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("reports", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_open311_target_with_secret_from_stdin_never_printed(category, department):
    output = run(
        "send-target",
        "Landratsamt",
        "--method",
        "open311",
        "--endpoint",
        "https://lra.example/open311/v2",
        "--jurisdiction",
        "lra.example",
        "--secret-stdin",
        "--category",
        "schlagloch",
        "--service-code",
        "schlagloch=strassenschaden",
        "--department",
        department.slug,
        stdin="geheimer-api-key\n",
    )
    target = SendTarget.objects.get(name="Landratsamt")
    assert (
        credentials.secret_of(target) == "geheimer-api-key"
        and "geheimer-api-key" not in target.secret_encrypted
    )
    assert target.service_codes == {"schlagloch": "strassenschaden"} and target.department == department
    assert CategorySending.objects.get(category=category).target == target
    listing = run("send-targets")
    assert "Landratsamt" in listing and "Schlüssel: ja" in listing
    assert "geheimer-api-key" not in output + listing


def test_inbound_secret_is_printed_once_and_stored_hashed(db):
    output = run(
        "send-target", "Stadtwerke", "--method", "email", "--endpoint", "sw@example.org", "--inbound-secret"
    )
    secret = output.split("nur jetzt sichtbar): ")[1].split()[0]
    target = SendTarget.objects.get(name="Stadtwerke")
    assert credentials.inbound_secret_matches(target, secret) and secret not in target.inbound_secret_hash


def test_bad_arguments_change_nothing(category):
    with pytest.raises(CommandError, match="--method"):
        run("send-target", "Neu")
    with pytest.raises(CommandError, match="Signaturschlüssel"):
        run("send-target", "Hook", "--method", "webhook", "--endpoint", "https://x.example/")
    with pytest.raises(CommandError, match="gibt es nicht"):
        run("send-target", "Mail", "--method", "email", "--endpoint", "a@b.example", "--category", "nix")
    assert not SendTarget.objects.exists()
