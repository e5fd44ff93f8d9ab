"""Password reset by email in the site's layout; the answer never tells whether an address has an account."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from stadtdigital.core import roles
from tests.conftest import make_user


@pytest.fixture
def cdo(db):
    user = make_user("cdo", roles.DIGITAL_OFFICE)
    user.email = "cdo@stadt.example"
    user.save()
    return user


def request_reset(client, email):
    return client.post(reverse("core:password_reset"), {"email": email}, follow=True)


def test_reset_by_mail_sets_a_new_password(client, cdo):
    page = request_reset(client, "cdo@stadt.example")
    assert "Bitte prüfen Sie Ihr Postfach" in page.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cdo@stadt.example"]
    assert message.subject == "Neues Passwort festlegen"
    link = re.search(r"https?://[^/\s]+(/verwaltung/passwort-neu/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert 'class="site-header"' in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "ein-ganz-neues-Passwort-42", "new_password2": "ein-ganz-neues-Passwort-42"},
        follow=True,
    )
    assert "Passwort gespeichert" in done.content.decode()
    cdo.refresh_from_db()
    assert cdo.check_password("ein-ganz-neues-Passwort-42")
    # The link works once.
    assert "ungültig oder schon benutzt" in client.get(link, follow=True).content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(client, cdo):
    known = request_reset(client, "cdo@stadt.example")
    unknown = request_reset(client, "niemand@stadt.example")
    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(unknown.content.decode()) == strip(known.content.decode())
    assert len(mail.outbox) == 1


def test_mail_does_not_reveal_other_accounts_and_names_no_password(client, cdo):
    request_reset(client, "cdo@stadt.example")
    body = mail.outbox[0].body
    assert "correct-horse-battery" not in body
    assert "@" not in body.replace("cdo@stadt.example", "")


def test_without_local_login_there_is_no_reset(client, cdo, settings):
    settings.LOCAL_LOGIN_ENABLED = False
    assert client.get(reverse("core:password_reset")).status_code == 404
    assert client.post(reverse("core:password_reset"), {"email": "cdo@stadt.example"}).status_code == 404
    assert mail.outbox == []
