"""Record only: the back office is the system; sending just notes it."""

from stadtdigital.reports.sending.base import SendResult


def send(report, target, *, dispatch=None) -> SendResult:
    return SendResult(note=f"Zuständig: {target.name} (Bearbeitung im Backoffice, keine Übermittlung).")
