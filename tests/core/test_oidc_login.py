"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit) running in its own process.

The user signs in through the provider's login form and consent page; the provider's groups decide roles
and departments; removing a group at the provider removes the role at the next sign-in.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.urls import reverse

from stadtdigital.core import roles
from stadtdigital.core.models import Department
from tests.oidc_provider import provider as oidc_provider_process

PROVIDER_PASSWORD = "provider-password-123"


class FormParser(HTMLParser):
    """The action and the fields (inputs with a name, first value wins) of each <form>."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            if attrs.get("type") == "submit":
                return
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")


def only_form(response):
    parser = FormParser()
    parser.feed(response.text)
    assert len(parser.forms) == 1, response.text[:2000]
    form = parser.forms[0]
    return urljoin(response.url, form["action"]), form["fields"]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    with oidc_provider_process.temporary_workdir() as workdir:
        from pathlib import Path

        running = oidc_provider_process.start(Path(workdir))
        provider = next(running)
        provider.manage(
            "setup",
            live_server.url + reverse("core:oidc_callback"),
            oidc_provider_process.CLIENT_ID,
            oidc_provider_process.CLIENT_SECRET,
        )
        yield provider
        running.close()


@pytest.fixture
def sso(settings, oidc_provider, transactional_db):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = oidc_provider_process.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider_process.CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.endpoint("authorize/")
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.endpoint("token/")
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.endpoint("userinfo/")
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.endpoint(".well-known/jwks.json")
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "stadtdigital.core.accounts.oidc.StaffOIDCBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = {"gg-portfolio": roles.DIGITAL_OFFICE, "gg-leitstelle": roles.LEITSTELLE}
    settings.OIDC_DEPARTMENT_CLAIM = "groups"
    settings.OIDC_DEPARTMENT_MAP = {"gg-amt-digital": "digitalisierung", "gg-schulen": "schulverwaltung"}
    Department.objects.create(name="Amt für Digitalisierung", slug="digitalisierung")
    Department.objects.create(name="Schulverwaltungsamt", slug="schulverwaltung")
    return oidc_provider


def sign_in_through_provider(live_server, username, password=PROVIDER_PASSWORD):
    """A browser's way through: our SSO link, the provider's login form, its consent page, back to us."""
    browser = requests.Session()
    login_page = browser.get(live_server.url + reverse("core:login"))
    assert reverse("core:oidc_authentication_init") in login_page.text
    provider_login = browser.get(
        live_server.url + reverse("core:oidc_authentication_init") + "?next=/verwaltung/"
    )
    assert provider_login.url.startswith("http://127.0.0.1:")
    assert urlsplit(provider_login.url).path == "/accounts/login/"
    action, fields = only_form(provider_login)
    fields.update(username=username, password=password)
    consent = browser.post(action, data=fields, headers={"Referer": provider_login.url})
    if urlsplit(consent.url).path != "/o/authorize/":
        return browser, consent  # the provider did not let the user in
    assert 'name="allow"' in consent.text  # the consent page
    action, fields = only_form(consent)
    fields["allow"] = "Authorize"
    back_home = browser.post(action, data=fields, headers={"Referer": consent.url})
    return browser, back_home


def test_sign_in_maps_groups_to_roles_and_departments(live_server, sso):
    sso.manage(
        "user", "anna", PROVIDER_PASSWORD, "anna@stadt.example", "gg-portfolio", "gg-amt-digital", "other"
    )

    browser, page = sign_in_through_provider(live_server, "anna")

    assert page.status_code == 200 and page.url == live_server.url + "/verwaltung/", page.text[:1000]
    assert page.history[-1].url.startswith(live_server.url + reverse("core:oidc_callback") + "?code=")
    assert "Digitalisierungsbüro" in page.text
    anna = User.objects.get(username="anna")
    assert anna.email == "anna@stadt.example" and anna.get_full_name() == "Anna Beispiel"
    assert not anna.has_usable_password()
    assert set(anna.groups.values_list("name", flat=True)) == {roles.DIGITAL_OFFICE}
    assert set(anna.departments.values_list("slug", flat=True)) == {"digitalisierung"}


def test_removed_from_the_group_at_the_provider_loses_the_role_at_next_sign_in(live_server, sso):
    sso.manage("user", "bernd", PROVIDER_PASSWORD, "bernd@stadt.example", "gg-portfolio", "gg-amt-digital")
    sign_in_through_provider(live_server, "bernd")
    bernd = User.objects.get(username="bernd")
    assert set(bernd.groups.values_list("name", flat=True)) == {roles.DIGITAL_OFFICE}

    sso.manage("groups", "bernd", "gg-leitstelle", "gg-schulen")
    browser, page = sign_in_through_provider(live_server, "bernd")

    assert page.status_code == 200
    assert set(bernd.groups.values_list("name", flat=True)) == {roles.LEITSTELLE}
    assert set(bernd.departments.values_list("slug", flat=True)) == {"schulverwaltung"}

    sso.manage("groups", "bernd")
    browser, page = sign_in_through_provider(live_server, "bernd")
    assert not bernd.groups.exists() and not bernd.departments.exists()
    assert page.status_code == 403  # signed in, but no role: no back office


def test_wrong_password_at_the_provider_does_not_sign_in(live_server, sso):
    sso.manage("user", "carla", PROVIDER_PASSWORD, "carla@stadt.example", "gg-portfolio")
    browser, page = sign_in_through_provider(live_server, "carla", password="falsch")
    assert urlsplit(page.url).path == "/accounts/login/"  # still at the provider's login form
    assert not User.objects.filter(username="carla").exists()
