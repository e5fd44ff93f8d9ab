"""The staff login page: password form and/or single sign-on; LOCAL_LOGIN_ENABLED turns passwords off."""

import pytest
from django.urls import reverse

from stadtdigital.core import roles
from tests.conftest import make_user


@pytest.fixture
def cdo(db):
    return make_user("cdo", roles.DIGITAL_OFFICE)


def test_password_login_works_and_offers_the_reset(client, cdo):
    page = client.get(reverse("core:login")).content.decode()
    assert 'name="password"' in page and reverse("core:password_reset") in page
    assert reverse("core:oidc_authentication_init") not in page  # no SSO configured
    response = client.post(reverse("core:login"), {"username": "cdo", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == reverse("core:backoffice")


def test_local_login_can_be_turned_off(client, cdo, settings):
    settings.LOCAL_LOGIN_ENABLED = False
    settings.OIDC_ENABLED = True
    page = client.get(reverse("core:login")).content.decode()
    assert 'name="password"' not in page
    assert reverse("core:oidc_authentication_init") in page
    response = client.post(reverse("core:login"), {"username": "cdo", "password": "correct-horse-battery"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:password_change")).status_code == 404


def test_sso_pages_do_not_exist_without_a_provider(client, db):
    assert client.get(reverse("core:oidc_authentication_init")).status_code == 404
    assert client.get(reverse("core:oidc_callback")).status_code == 404


def test_the_admin_signs_in_through_the_site_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("core:login") + "?next=/admin/"
