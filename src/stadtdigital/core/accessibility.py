"""What the accessibility statement (BITV 2.0 § 7) says, from settings.

The statement's text of what is not yet accessible lives in core/accessibility/_known_issues.html, which
a city overrides (a template of the same name in its own template directory). The default describes this
software as its tests measure it (tests/browser/test_every_page_type.py and the other browser tests).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# When the software's own review (the automated checks named in the default statement) was last updated.
SOFTWARE_REVIEW_DATE = datetime.date(2026, 12, 4)

CONFORMANCE_TEXTS = {
    "full": _("Diese Website ist mit den Anforderungen der BITV 2.0 vollständig vereinbar."),
    "partial": _(
        "Diese Website ist mit den Anforderungen der BITV 2.0 teilweise vereinbar. "
        "Die unten genannten Inhalte sind noch nicht barrierefrei."
    ),
    "none": _("Diese Website ist mit den Anforderungen der BITV 2.0 nicht vereinbar."),
}


@dataclass(frozen=True)
class Statement:
    conformance: str
    conformance_text: str
    date: datetime.date
    contact_email: str
    contact_phone: str
    enforcement_body_name: str
    enforcement_body_url: str


def statement() -> Statement:
    conformance = settings.ACCESSIBILITY_CONFORMANCE
    if conformance not in CONFORMANCE_TEXTS:
        raise ImproperlyConfigured(
            f"ACCESSIBILITY_CONFORMANCE must be one of {', '.join(CONFORMANCE_TEXTS)}, not {conformance!r}"
        )
    date_text = settings.ACCESSIBILITY_STATEMENT_DATE
    try:
        date = datetime.date.fromisoformat(date_text) if date_text else SOFTWARE_REVIEW_DATE
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ACCESSIBILITY_STATEMENT_DATE must be a date like 2026-12-04, not {date_text!r}"
        ) from exc
    return Statement(
        conformance=conformance,
        conformance_text=str(CONFORMANCE_TEXTS[conformance]),
        date=date,
        contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL,
        contact_phone=settings.ACCESSIBILITY_CONTACT_PHONE,
        enforcement_body_name=settings.ACCESSIBILITY_ENFORCEMENT_BODY_NAME,
        enforcement_body_url=settings.ACCESSIBILITY_ENFORCEMENT_BODY_URL,
    )
