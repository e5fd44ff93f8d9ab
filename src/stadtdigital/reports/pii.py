"""Personal data in free text: email addresses, phone numbers, German licence plates and IBANs.

Citizens write "Rückruf unter 0151 5551234" or "das Auto HN-AB 123 parkt hier immer" into a report. Such
values are found here and replaced by a neutral placeholder; `services.personal_data` keeps the original for
staff until a moderator has looked. The patterns are deliberately narrow where a false alarm would hide
useful public information: house numbers ("Nr. 5"), dates ("12.03.2025"), times, postcodes ("74072"),
sizes and amounts ("1.200 Euro") are never matched (tests/reports/test_pii.py lists the cases).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "email": _("E-Mail-Adresse"),
    "phone": _("Telefonnummer"),
    "plate": _("Kfz-Kennzeichen"),
    "iban": _("IBAN"),
}
PLACEHOLDERS = {
    "email": "[E-Mail-Adresse entfernt]",
    "phone": "[Telefonnummer entfernt]",
    "plate": "[Kennzeichen entfernt]",
    "iban": "[IBAN entfernt]",
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# Two letters, two check digits, then 11-30 letters or digits, optionally grouped by single spaces.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
# German numbers: international (+49 / 0049) or national with a leading 0 (area code or mobile prefix),
# digits in groups separated by one space, slash or hyphen, and "(0)" after the country code.
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{2}[ ]?(?:\(0\)[ ]?)?\d(?:[ /-]?\d){5,13}\b"
    r"|(?<![\w.,:])\(?0\d{2,5}\)?(?:[ /-]?\d){4,10}\b"
)
# The same written with dots ("0171.234.56.78", "030.1234567", "+49.171.2345678"): the area code is a 0 and at
# least two digits, so a date ("04.12.2026", "4.12.26") never starts one; the groups after it are joined by
# dots only, and it must not run on into another number ("0171.234.56.78.9,5").
PHONE_DOTTED = re.compile(
    r"(?<![\w.,:/+])(?:(?:\+|00)\d{2}[ .]?(?:\(0\)[ .]?)?\d{2,5}|0\d{2,5})(?:\.\d{2,8}){1,5}(?![\w]|[.,]\d)"
)
# A local number without area code only after a word that says it is one ("Tel. 555123").
PHONE_AFTER_WORD = re.compile(
    r"(?i:\b(?:tel|telefon|telefonnr|handy|mobil|ruf|rückruf|nummer)\b\.?:?\s*(?:unter\s+)?)"
    r"(\d(?:[ /-]?\d){4,12})\b"
)
# District (1-3 letters), separator, 1-2 letters, optional space, 1-4 digits, optional E/H suffix.
PLATE = re.compile(r"\b([A-ZÄÖÜ]{1,3})[- ]([A-Z]{1,2}) ?(\d{1,4}[EH]?)\b")
# Upper-case words that look like a district but never are one in a report ("DIN A 4", "NR AB 12").
NOT_A_DISTRICT = frozenset({"DIN", "NR", "CA", "TEL", "PLZ", "IBAN", "UHR", "EUR", "KM", "STR", "BUS", "ICE"})


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


def _iban_plausible(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if compact.startswith("DE"):
        return len(compact) == 22 and compact[2:].isdigit()  # a German IBAN, even with a typo in the checksum
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def find(text: str) -> list[Finding]:
    """All personal data in `text`, in order, without overlaps."""
    if not text:
        return []
    found: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < f.end and f.start < end for f in found):
            return
        found.append(Finding(kind, start, end, text[start:end]))

    for match in EMAIL.finditer(text):
        add("email", match.start(), match.end())
    for match in IBAN.finditer(text):
        if _iban_plausible(match.group()):
            add("iban", match.start(), match.end())
    for match in PHONE.finditer(text):
        if _digits(match.group()) >= 7:
            add("phone", match.start(), match.end())
    for match in PHONE_DOTTED.finditer(text):
        if 7 <= _digits(match.group()) <= 15:
            add("phone", match.start(), match.end())
    for match in PHONE_AFTER_WORD.finditer(text):
        if _digits(match.group(1)) >= 5:
            add("phone", match.start(1), match.end(1))
    for match in PLATE.finditer(text):
        if match.group(1) not in NOT_A_DISTRICT:
            add("plate", match.start(), match.end())
    return sorted(found, key=lambda f: f.start)


def mask(text: str) -> tuple[str, list[Finding]]:
    """`text` with every finding replaced by its placeholder, and the findings."""
    findings = find(text)
    if not findings:
        return text, []
    parts, position = [], 0
    for finding in findings:
        parts.append(text[position : finding.start])
        parts.append(PLACEHOLDERS[finding.kind])
        position = finding.end
    parts.append(text[position:])
    return "".join(parts), findings


def kinds(findings: list[Finding]) -> list[str]:
    return sorted({f.kind for f in findings})
