"""Sending a report to the body that fixes it (decision 0023).

One small interface: a method's `send(report, target) -> SendResult` delivers one report to one
`SendTarget` and raises `SendError` (with the target's own error text) when it could not. Methods:
record only (`record`), email (`email`), Open311 GeoReport v2 (`open311`), signed JSON webhook
(`webhook`). `METHODS` maps `SendMethod` values to them; `method_for(target)` picks one.

Who gets a report is decided by `routing.target_for(report)` (area, category, department); sending is
queued by `services.queue_send()` after the transaction commits and done by the background task in
`tasks.py`, with retries and back-off, then "failed" (the back office's queue "Versand fehlgeschlagen").
"""

from stadtdigital.reports.sending.base import SendError, SendResult


def method_for(target):
    from stadtdigital.reports.sending import email, open311, record, webhook

    methods = {"record": record.send, "email": email.send, "open311": open311.send, "webhook": webhook.send}
    return methods[target.method]


__all__ = ["SendError", "SendResult", "method_for"]
