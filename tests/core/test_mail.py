import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.utils import timezone

from stadtdigital.core.mail import MAX_ATTEMPTS, queue_mail, send_mail_task


class MailServerDown(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "try later")


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_queued_mail_is_rendered_and_sent_by_the_task(db, tmp_path, settings):
    (tmp_path / "hello.txt").write_text("Hallo {{ name }} aus {{ CITY_NAME }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    queue_mail("a@example.org", "Betreff", "hello", {"name": "Erika"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body == f"Hallo Erika aus {settings.CITY_NAME}"


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, EMAIL_BACKEND="tests.core.test_mail.MailServerDown")
def test_mail_server_down_queues_the_mail_again_later():
    from django_tasks_db.models import DBTaskResult

    send_mail_task.call(to=["a@example.org"], subject="S", text="T")
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now()


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, EMAIL_BACKEND="tests.core.test_mail.MailServerDown")
def test_mail_fails_visibly_after_the_last_attempt():
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(smtplib.SMTPException):
        send_mail_task.call(to=["a@example.org"], subject="S", text="T", attempt=MAX_ATTEMPTS)
    assert not DBTaskResult.objects.exists()
