"""Forwarding a report to another body ("nicht zuständig"): one use of reports/sending/.

`forward()` looks up the receiving body among the send targets (by name, case-insensitive) and queues a
sending to it through the same path as new reports (after the commit, retried, shown in "Versand
fehlgeschlagen"). For bodies without a target, the setting `REPORT_FORWARDING_BACKEND` decides:

- `stadtdigital.reports.forwarding.RecordOnlyBackend` (default): the forwarding is only recorded in the
  report's history; staff pass the report on by phone or their own mail.
- `stadtdigital.reports.forwarding.EmailBackend`: the body gets an email target with the address from
  `REPORT_FORWARDING_EMAILS` (a dict "name of the body" -> address), else `REPORT_FORWARDING_EMAIL` (one
  address for all), created on first use; with neither, it records only.

Neither sends the reporter's personal data.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from stadtdigital.reports.models import SendMethod, SendTarget


class ForwardingBackend:
    def forward(self, report, *, to: str, public_text: str = "", user=None) -> str:
        """Passes `report` on to the body named `to`; returns a note for the internal history."""
        target = SendTarget.objects.filter(name__iexact=to, is_active=True).first() or self.target_for(to)
        if target is None:
            return _("Weiterleitung an „%(to)s“ vermerkt (keine automatische Übermittlung).") % {"to": to}
        from stadtdigital.reports.sending.services import queue_send

        queue_send(report, "forwarded", target=target)
        return _("Versand an „%(to)s“ (%(method)s) eingereiht.") % {
            "to": target.name,
            "method": SendMethod(target.method).label,
        }

    def target_for(self, to: str) -> SendTarget | None:
        return None


class RecordOnlyBackend(ForwardingBackend):
    pass


class EmailBackend(ForwardingBackend):
    def address_for(self, to: str) -> str:
        addresses = settings.REPORT_FORWARDING_EMAILS
        return addresses.get(to) or settings.REPORT_FORWARDING_EMAIL

    def target_for(self, to: str) -> SendTarget | None:
        address = self.address_for(to)
        if not address:
            return None
        target, _created = SendTarget.objects.get_or_create(
            name=to[:200], defaults={"method": SendMethod.EMAIL, "endpoint": address}
        )
        return target


def get_backend() -> ForwardingBackend:
    return import_string(settings.REPORT_FORWARDING_BACKEND)()
