"""Replies to the email method's mail land on the report (decision 0023, issue 12).

The mail to a body carries the reply address SENDING_REPLY_TO ("anliegen+{id}@stadt.example") and a
Message-ID that names the report. The city's mail server hands each mail to that address to
`stadtdigital reports receive-reply` (a Postfix pipe transport, a .forward, or fetchmail's --mda for an
Exchange mailbox). The reply is found by the address it went to, else by In-Reply-To/References, else by
"Anliegen Nr. N" in the subject.

A reply is taken only from the address of an email target the report was sent to: a From header is easy
to forge, so a reply never changes the state and is never public. It becomes an internal note in the
report's history ("Antwort von Bauhof per E-Mail"), without the quoted original; the case worker decides
what to publish. Status changes come through the inbound endpoint with the target's secret. The same mail
delivered twice is noted once (its Message-ID is kept like a polled update's id).
"""

import email
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags

from stadtdigital.reports.models import Dispatch, EventKind, RemoteUpdate, Report, SendMethod
from stadtdigital.reports.services.history import record_event

MAX_TEXT = 5000
_MESSAGE_ID = re.compile(r"\.anliegen-(\d+)@")  # make_msgid(idstring="anliegen-N") in sending/email.py
_SUBJECT = re.compile(r"\bAnliegen Nr\. (\d+)\b")
# Where the quoted original starts in common mail clients (Outlook German/English, Thunderbird, Apple Mail).
_QUOTE_START = re.compile(
    r"^(?:-{2,}\s*(?:Ursprüngliche Nachricht|Original Message)\s*-{2,}"
    r"|(?:Von|From):\s.*@.*"
    r"|(?:Am|On)\s.+(?:schrieb|wrote)\s*.*:\s*)$",
    re.IGNORECASE,
)


class ReplyRefused(Exception):
    """A mail that is not taken; `exit_code` is the sysexits code a mail server's pipe understands."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.message, self.exit_code = message, exit_code


EX_DATAERR, EX_NOUSER, EX_NOPERM = 65, 67, 77


@dataclass(frozen=True)
class ReplyResult:
    report: Report
    target_name: str
    new: bool  # False: the same mail was taken before


def _address_pattern() -> re.Pattern | None:
    pattern = settings.SENDING_REPLY_TO
    if "{id}" not in pattern:
        return None
    before, after = pattern.split("{id}", 1)
    return re.compile(re.escape(before) + r"(\d+)" + re.escape(after), re.IGNORECASE)


def report_id(message) -> int | None:
    """The report a reply belongs to: by the address it went to, the mail it answers, or its subject."""
    addresses = _address_pattern()
    if addresses is not None:
        recipients = []
        for header in ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc"):
            recipients += [str(value) for value in message.get_all(header, [])]
        for _name, address in email.utils.getaddresses(recipients):
            if match := addresses.fullmatch(address.strip()):
                return int(match.group(1))
    for header in ("In-Reply-To", "References"):
        if match := _MESSAGE_ID.search(str(message.get(header, ""))):
            return int(match.group(1))
    if match := _SUBJECT.search(str(message.get("Subject", ""))):
        return int(match.group(1))
    return None


def reply_text(message) -> str:
    """The new text of a reply: the plain part (or the HTML part as text), without the quoted original."""
    body = message.get_body(("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError):  # an unknown charset or a broken transfer encoding
        content = body.get_payload(decode=True).decode("utf-8", "replace")
    if body.get_content_type() == "text/html":
        content = strip_tags(content)
    lines = []
    for line in content.replace("\r\n", "\n").split("\n"):
        if line.startswith(">") or _QUOTE_START.match(line.strip()):
            break
        lines.append(line.rstrip())
    return "\n".join(lines).strip()[:MAX_TEXT]


def receive_reply(raw: bytes) -> ReplyResult:
    """Takes one reply mail (RFC 5322 bytes); raises ReplyRefused with the reason when it is not taken."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not message.keys():
        raise ReplyRefused("Keine E-Mail erkannt.", EX_DATAERR)
    pk = report_id(message)
    if pk is None:
        raise ReplyRefused("Die E-Mail nennt kein Anliegen (Adresse, Bezug oder Betreff).", EX_NOUSER)
    report = Report.objects.filter(pk=pk).first()
    if report is None:
        raise ReplyRefused(f"Anliegen Nr. {pk} gibt es nicht.", EX_NOUSER)
    sender = email.utils.parseaddr(str(message.get("From", "")))[1].strip().lower()
    dispatch = (
        Dispatch.objects.filter(
            report=report, target__method=SendMethod.EMAIL, target__endpoint__iexact=sender
        )
        .select_related("target")
        .order_by("-created_at", "-pk")
        .first()
        if sender
        else None
    )
    if dispatch is None:
        raise ReplyRefused(
            f"Absender {sender or '(leer)'} ist keine Empfangsstelle, "
            f"an die Anliegen Nr. {pk} gesandt wurde.",
            EX_NOPERM,
        )
    text = reply_text(message)
    if not text:
        raise ReplyRefused("Die Antwort enthält keinen Text (nur das Zitat).", EX_DATAERR)
    message_id = str(message.get("Message-ID", "")).strip() or hashlib.sha256(raw).hexdigest()
    target = dispatch.target
    with transaction.atomic():
        try:
            with transaction.atomic():
                RemoteUpdate.objects.create(
                    target=target, update_id=f"mail:{message_id}"[:200], report=report
                )
        except IntegrityError:
            return ReplyResult(report, target.name, new=False)
        record_event(
            report,
            EventKind.NOTE,
            internal_note=f"Antwort von {target.name} per E-Mail:\n{text}",
            is_public=False,
            data={"reply_from": sender, "subject": str(message.get("Subject", ""))[:200]},
        )
    return ReplyResult(report, target.name, new=True)
