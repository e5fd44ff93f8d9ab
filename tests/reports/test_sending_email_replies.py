"""Replies to the email method's mail land on the report: the body answers the mail it got (through a real
SMTP server, aiosmtpd), the city's mail server hands the reply to `stadtdigital reports receive-reply`
(here: the bytes the SMTP server received, on the command's standard input)."""

import io
import smtplib
import sys
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from stadtdigital.reports.models import Event, EventKind, State
from stadtdigital.reports.services.confirmation import confirm_report
from tests.reports.test_sending_email import email_target, smtp, submit  # noqa: F401

REPLY_TO = "anliegen+{id}@stadt.example"


@pytest.fixture
def sent(smtp, email_target, django_capture_on_commit_callbacks):  # noqa: F811
    """A report mailed to the Bauhof; returns (report, the mail the Bauhof got)."""
    with override_settings(SENDING_REPLY_TO=REPLY_TO), django_capture_on_commit_callbacks(execute=True):
        report = submit(reporter_email="anna@example.org", privacy_consent=True).report
        confirm_report(report.confirmation_token)
    [(_recipients, original)] = [m for m in smtp.messages if m[0] == ["bauhof@stadt.example"]]
    return report, original


def reply_through_smtp(smtp, original, *, sender="bauhof@stadt.example", to=None, text=None) -> bytes:  # noqa: F811
    """The Bauhof's mail client answers `original`, quoting it; returns the bytes the city's server got."""
    quoted = "\n".join("> " + line for line in original.get_body(("plain",)).get_content().splitlines())
    reply = EmailMessage()
    reply["From"] = f"Bauhof Heilbronn <{sender}>"
    reply["To"] = to or original["Reply-To"]
    reply["Subject"] = "AW: " + original["Subject"]
    reply["In-Reply-To"] = original["Message-ID"]
    reply["Message-ID"] = f"<antwort-{len(smtp.messages)}@bauhof.example>"
    reply.set_content(
        (text or "Wir bessern das Loch am Montag aus.\nGruß, Ihr Bauhof")
        + "\n\n-----Ursprüngliche Nachricht-----\nVon: stadtdigital <noreply@stadt.example>\n"
        + quoted
    )
    before = len(smtp.messages)
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=5) as client:
        client.send_message(reply)
    [(_recipients, received)] = smtp.messages[before:]
    return received.as_bytes()


def receive(raw: bytes, monkeypatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("reports", "receive-reply", stdout=out)
    return out.getvalue()


def notes(report):
    return list(Event.objects.filter(report=report, kind=EventKind.NOTE, internal_note__startswith="Antwort"))


@override_settings(SENDING_REPLY_TO=REPLY_TO)
def test_a_reply_lands_on_the_report_as_internal_note_once(sent, smtp, monkeypatch, client):  # noqa: F811
    report, original = sent
    assert original["Reply-To"] == f"anliegen+{report.pk}@stadt.example"
    raw = reply_through_smtp(smtp, original)

    assert "übernommen" in receive(raw, monkeypatch)
    [note] = notes(report)
    assert note.internal_note.startswith(
        "Antwort von Bauhof per E-Mail:\nWir bessern das Loch am Montag aus."
    )
    assert "Tiefes Loch vor Nr. 12" not in note.internal_note  # the quoted original is cut off
    assert "Ursprüngliche Nachricht" not in note.internal_note
    assert not note.is_public and note.public_text == ""
    assert note.data["reply_from"] == "bauhof@stadt.example"
    report.refresh_from_db()
    assert report.state == State.RECEIVED  # a mail (its From can be forged) never changes the state
    assert "Montag" not in client.get(report.get_absolute_url()).content.decode()

    # The mail server delivers the same mail again: noted once.
    assert "war schon übernommen" in receive(raw, monkeypatch)
    assert len(notes(report)) == 1


@pytest.mark.parametrize("found_by", ["in-reply-to", "subject"])
def test_a_reply_to_another_address_is_found_by_the_mail_it_answers(sent, smtp, monkeypatch, found_by):  # noqa: F811
    report, original = sent
    raw = reply_through_smtp(smtp, original, to="poststelle@stadt.example")
    if found_by == "subject":
        raw = raw.replace(b"In-Reply-To:", b"X-Old-In-Reply-To:")
    with override_settings(SENDING_REPLY_TO=""):
        receive(raw, monkeypatch)
    assert len(notes(report)) == 1


@override_settings(SENDING_REPLY_TO=REPLY_TO)
def test_a_reply_from_anyone_else_is_refused_and_changes_nothing(sent, smtp, monkeypatch):  # noqa: F811
    report, original = sent
    raw = reply_through_smtp(smtp, original, sender="falsch@example.org")
    with pytest.raises(CommandError, match="Absender falsch@example.org ist keine Empfangsstelle") as refused:
        receive(raw, monkeypatch)
    assert refused.value.returncode == 77  # EX_NOPERM: the mail server bounces it
    assert notes(report) == []


@override_settings(SENDING_REPLY_TO=REPLY_TO)
def test_a_mail_for_no_report_or_with_only_the_quote_is_refused(sent, smtp, monkeypatch, tmp_path):  # noqa: F811
    report, original = sent
    unknown = reply_through_smtp(smtp, original, to="anliegen+999999@stadt.example")  # the address wins
    with pytest.raises(CommandError, match="Anliegen Nr. 999999 gibt es nicht") as refused:
        receive(unknown, monkeypatch)
    assert refused.value.returncode == 67  # EX_NOUSER

    only_quote = tmp_path / "nur-zitat.eml"
    only_quote.write_bytes(reply_through_smtp(smtp, original, text=" "))
    with pytest.raises(CommandError, match="keinen Text") as refused:
        call_command("reports", "receive-reply", "--file", str(only_quote), stdout=io.StringIO())
    assert refused.value.returncode == 65
    assert notes(report) == []
