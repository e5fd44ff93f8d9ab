"""API keys: hashing, authentication, counting, the `open311` command and the back office pages."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from stadtdigital.core import roles
from stadtdigital.open311 import services
from stadtdigital.open311.models import ApiClient
from tests.conftest import make_user

LIST = "/verwaltung/open311/"
CREATE = "/verwaltung/open311/neu/"


def revoke_url(client_id):
    return f"/verwaltung/open311/{client_id}/sperren/"


# --- services -------------------------------------------------------------------------------------------


def test_plaintext_key_is_never_stored(db):
    client, key = services.create_key("Stadt-App")
    assert len(key) == 40 and key.isalnum()
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert client.key_prefix == key[:8]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiClient._meta.db_table}")  # noqa: S608 - fixed table name
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert key not in stored and key[8:] not in stored


def test_keys_are_unique_and_random(db):
    keys = {services.create_key(f"App {n}")[1] for n in range(20)}
    assert len(keys) == 20


def test_authenticate(db):
    client, key = services.create_key("Stadt-App")
    assert services.authenticate(key) == client
    for wrong in (None, "", key[:-1], key + "x", key.upper(), "x" * 1000, 42, ["a"]):
        assert services.authenticate(wrong) is None
    assert services.revoke(client) is True
    assert services.authenticate(key) is None
    first = client.revoked_at
    assert services.revoke(client) is False and client.revoked_at == first


def test_record_use_counts_and_limits(db):
    client, _ = services.create_key("Stadt-App", rate_limit_per_hour=2)
    assert [services.record_use(client) for _ in range(3)] == [True, True, False]
    client.refresh_from_db()
    assert client.requests_count == 3 and client.last_used_at is not None


# --- command --------------------------------------------------------------------------------------------


def test_create_key_prints_only_the_key(db, capsys):
    call_command("open311", "create-key", "Stadt-App")
    out = capsys.readouterr()
    key = out.out.strip()
    assert out.out == key + "\n" and len(key) == 40
    client = services.authenticate(key)
    assert client is not None and client.name == "Stadt-App" and client.created_by is None
    assert client.key_prefix in out.err  # the confirmation goes to stderr


def test_create_key_with_rate_limit(db, capsys):
    call_command("open311", "create-key", "App", "--rate-limit", "5")
    assert services.authenticate(capsys.readouterr().out.strip()).rate_limit_per_hour == 5


def test_list_and_revoke_keys(db, capsys):
    client, key = services.create_key("Stadt-App")
    call_command("open311", "list-keys")
    out = capsys.readouterr().out
    assert client.key_prefix in out and "Stadt-App" in out and "aktiv" in out
    assert key not in out and client.key_hash not in out
    call_command("open311", "revoke-key", client.key_prefix)
    assert "gesperrt" in capsys.readouterr().out
    assert services.authenticate(key) is None
    call_command("open311", "list-keys")
    assert "gesperrt" in capsys.readouterr().out


def test_revoke_key_refuses_unknown_short_or_ambiguous_prefixes(db):
    first, _ = services.create_key("A")
    second, _ = services.create_key("B")
    ApiClient.objects.filter(pk=second.pk).update(key_prefix=first.key_prefix[:6] + "zz")
    with pytest.raises(CommandError, match="Kein Schlüssel"):
        call_command("open311", "revoke-key", "nichtda1")
    with pytest.raises(CommandError, match="mindestens 4"):
        call_command("open311", "revoke-key", "ab")
    with pytest.raises(CommandError, match="Mehrere"):
        call_command("open311", "revoke-key", first.key_prefix[:6])
    assert ApiClient.objects.filter(revoked_at__isnull=False).count() == 0


def test_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("open311", "--help")
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "create-key" in out and "list-keys" in out and "revoke-key" in out


# --- back office ----------------------------------------------------------------------------------------


@pytest.fixture
def leitstelle_user(db):
    return make_user("leitstelle", roles.LEITSTELLE)


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", password="correct-horse-battery")


def test_anonymous_goes_to_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and "/verwaltung/anmelden/" in response["Location"]


@pytest.mark.parametrize("role", [roles.DEPARTMENT_STAFF, roles.READ_ONLY, None])
def test_other_users_get_403_everywhere(client, db, role):
    target, _ = services.create_key("Stadt-App")
    client.force_login(make_user("x", role))
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"name": "Neu"}).status_code == 403
    assert client.post(revoke_url(target.pk)).status_code == 403
    assert ApiClient.objects.count() == 1
    target.refresh_from_db()
    assert target.revoked_at is None


@pytest.mark.parametrize("who", ["digital_office_user", "leitstelle_user", "superuser"])
def test_allowed_users_create_list_and_revoke(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(LIST).status_code == 200
    assert client.get(CREATE).status_code == 200

    response = client.post(CREATE, {"name": "  Stadt-App   Android "})
    assert response.status_code == 200
    key = response.context["key"]
    api_client = services.authenticate(key)
    assert api_client.name == "Stadt-App Android" and api_client.created_by == user
    assert key in response.content.decode()  # shown once ...
    listing = client.get(LIST).content.decode()
    assert key not in listing and api_client.key_prefix in listing and "Stadt-App Android" in listing

    confirm = client.get(revoke_url(api_client.pk))
    assert confirm.status_code == 200 and "sperren?" in confirm.content.decode()
    assert services.authenticate(key) is not None  # GET changes nothing
    response = client.post(revoke_url(api_client.pk), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert services.authenticate(key) is None
    assert "gesperrt am" in response.content.decode()


def test_create_form_errors(client, digital_office_user):
    client.force_login(digital_office_user)
    response = client.post(CREATE, {"name": "   "})
    assert response.status_code == 200 and "key" not in response.context
    assert ApiClient.objects.count() == 0


def test_list_shows_usage(client, digital_office_user):
    api_client, _ = services.create_key("Stadt-App")
    for _ in range(3):
        services.record_use(api_client)
    client.force_login(digital_office_user)
    html = client.get(LIST).content.decode()
    assert '<td class="num">3</td>' in html and '<span class="muted">nie</span>' not in html


def test_backoffice_card_only_for_those_who_manage_keys(client, digital_office_user, department_user):
    client.force_login(digital_office_user)
    assert LIST in client.get("/verwaltung/").content.decode()
    client.force_login(department_user)
    assert LIST not in client.get("/verwaltung/").content.decode()
    client.force_login(make_user("ls", roles.LEITSTELLE))
    assert LIST in client.get("/verwaltung/").content.decode()


def test_unknown_client_is_404(client, digital_office_user):
    client.force_login(digital_office_user)
    assert client.get(revoke_url(999)).status_code == 404
