"""Forwarding a report to another body ("nicht zuständig"): a small backend interface.

The setting `REPORT_FORWARDING_BACKEND` names the class (dotted path). Shipped backends:

- `stadtdigital.reports.forwarding.RecordOnlyBackend` (default): the forwarding is only recorded in the
  report's history; staff pass the report on by phone or their own mail.
- `stadtdigital.reports.forwarding.EmailBackend`: emails the report's public part (never the reporter's
  personal data) to the address configured for the receiving body in `REPORT_FORWARDING_EMAILS`
  (a dict "name of the body" -> address), else to `REPORT_FORWARDING_EMAIL` (one address for all);
  with neither, it records only.

A city can plug in its own backend (e.g. a neighbouring authority's Open311 endpoint): subclass
`ForwardingBackend` and implement `forward()`, which returns a short German note for the history.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class ForwardingBackend:
    def forward(self, report, *, to: str, public_text: str = "", user=None) -> str:
        """Passes `report` on to the body named `to`; returns a note for the internal history."""
        raise NotImplementedError


class RecordOnlyBackend(ForwardingBackend):
    def forward(self, report, *, to: str, public_text: str = "", user=None) -> str:
        return _("Weiterleitung an „%(to)s“ vermerkt (keine automatische Übermittlung).") % {"to": to}


class EmailBackend(ForwardingBackend):
    def address_for(self, to: str) -> str:
        addresses = settings.REPORT_FORWARDING_EMAILS
        return addresses.get(to) or settings.REPORT_FORWARDING_EMAIL

    def forward(self, report, *, to: str, public_text: str = "", user=None) -> str:
        from stadtdigital.core.mail import queue_mail
        from stadtdigital.reports.selectors.answers import report_answers

        address = self.address_for(to)
        if not address:
            return RecordOnlyBackend().forward(report, to=to, public_text=public_text, user=user)
        queue_mail(
            address,
            _("Weitergeleitetes Anliegen Nr. %(id)s: %(category)s")
            % {"id": report.pk, "category": report.category},
            "reports/email/status_forwarded",
            {
                "report": report,
                "to": to,
                "public_text": public_text,
                # public answers only: the mail leaves the city, like the report's public page
                "question_answers": report_answers(report, public_only=True),
            },
        )
        return _("Per E-Mail an „%(to)s“ (%(address)s) weitergeleitet.") % {"to": to, "address": address}


def get_backend() -> ForwardingBackend:
    return import_string(settings.REPORT_FORWARDING_BACKEND)()
