"""Outgoing email. Requests never wait on SMTP: mail is rendered now and sent by the background worker.

A mail server that is down does not lose mail: the task is queued again with growing delays
(1, 2, 4, 8, 16 minutes ...) up to MAX_ATTEMPTS, then it fails visibly in the task results.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task, task_backends

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@task()
def send_mail_task(
    to: list[str], subject: str, text: str, html: str = "", reply_to: str = "", attempt: int = 1
) -> None:
    try:
        _send(to, subject, text, html, reply_to)
    except (smtplib.SMTPException, OSError) as exc:
        backend = task_backends[send_mail_task.backend]
        if attempt >= MAX_ATTEMPTS or not backend.supports_defer:
            raise
        delay = datetime.timedelta(minutes=2 ** (attempt - 1))
        logger.warning("Mail to %d recipient(s) not sent (%s); trying again in %s", len(to), exc, delay)
        send_mail_task.using(run_after=timezone.now() + delay).enqueue(
            to=to, subject=subject, text=text, html=html, reply_to=reply_to, attempt=attempt + 1
        )


def _send(to: list[str], subject: str, text: str, html: str, reply_to: str) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[reply_to] if reply_to else None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def queue_mail(to: str | list[str], subject: str, template: str, context: dict, language: str = "de") -> None:
    """Renders `<template>.txt` (and `<template>.html` if it exists) and queues the mail for the worker."""
    recipients = [to] if isinstance(to, str) else list(to)
    context = {"SITE_URL": settings.SITE_URL, "CITY_NAME": settings.CITY_NAME, **context}
    with translation.override(language):
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            html = ""
    send_mail_task.enqueue(to=recipients, subject=str(subject), text=text, html=html)


def queue_mail_on_commit(to: str | list[str], subject: str, template: str, context: dict) -> None:
    """`queue_mail` once the current transaction commits: a rolled-back change sends nothing."""
    transaction.on_commit(lambda: queue_mail(to, subject, template, context))
