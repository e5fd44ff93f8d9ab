"""Outgoing email. Requests never wait on SMTP: mail is rendered now and sent by the background worker."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_mail_task(to: list[str], subject: str, text: str, html: str = "", reply_to: str = "") -> None:
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
