"""Email: the report as an HTML and text mail to the body's address, photos attached up to
SENDING_EMAIL_ATTACHMENT_BYTES in total (the rest as links), the place with a map link, and a reply
address that lands on the report (SENDING_REPLY_TO with "{id}", e.g. "anliegen+{id}@stadt.example"; the
replies are taken by `stadtdigital reports receive-reply`, sending/replies.py).

Sent directly from the send task (not through the mail queue) so that the task knows whether the mail
server took it."""

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation

from stadtdigital.reports.sending.base import SendError, SendResult
from stadtdigital.reports.sending.document import map_url, photo_urls, report_answers


def reply_address(report) -> str:
    pattern = settings.SENDING_REPLY_TO
    return pattern.format(id=report.pk) if pattern else ""


def _attachments(report):
    """(attached photos as (name, bytes), links of photos that did not fit)."""
    budget = settings.SENDING_EMAIL_ATTACHMENT_BYTES
    attached, links = [], []
    photos = list(report.photos.filter(status="ready", hidden=False))
    urls = photo_urls(report)
    for index, photo in enumerate(photos):
        size = photo.image.size if photo.image else 0
        if photo.image and size <= budget:
            with photo.image.open("rb") as handle:
                attached.append((f"foto-{index + 1}.jpg", handle.read()))
            budget -= size
        elif index < len(urls):
            links.append(urls[index])
    return attached, links


def build_message(report, target) -> EmailMultiAlternatives:
    attached, links = _attachments(report)
    context = {
        "report": report,
        "answers": report_answers(report, target),
        "map_url": map_url(report),
        "report_url": settings.SITE_URL + report.get_absolute_url(),
        "photo_links": links,
        "photo_count": len(attached),
        "target": target,
        "CITY_NAME": settings.CITY_NAME,
    }
    with translation.override("de"):
        text = render_to_string("reports/email/sending.txt", context)
        html = render_to_string("reports/email/sending.html", context)
    reply_to = reply_address(report)
    message = EmailMultiAlternatives(
        subject=f"Anliegen Nr. {report.pk}: {report.category.name}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[target.endpoint],
        reply_to=[reply_to] if reply_to else None,
        headers={
            "X-Stadtdigital-Report": str(report.pk),
            # Names the report, so that a reply without the reply address still finds it (sending/replies.py).
            "Message-ID": make_msgid(idstring=f"anliegen-{report.pk}", domain=str(DNS_NAME)),
        },
    )
    message.attach_alternative(html, "text/html")
    for name, content in attached:
        message.attach(name, content, "image/jpeg")
    return message


def send(report, target, *, dispatch=None) -> SendResult:
    if not target.endpoint or "@" not in target.endpoint:
        raise SendError(f"Keine gültige E-Mail-Adresse für „{target.name}“ eingetragen.", permanent=True)
    message = build_message(report, target)
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"Mailserver lehnt die Adresse ab: {exc.recipients}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"Mailserver: {exc}") from exc
    return SendResult(note=f"Per E-Mail an „{target.name}“ ({target.endpoint}) gesendet.")
