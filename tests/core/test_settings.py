"""Settings from the environment: clear errors for bad values, `check --deploy` clean in production."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from stadtdigital.env import env_bool, env_int, env_list


def test_env_bool_rejects_unclear_values(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", False)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("Ja", True), ("0", False), ("off", False)])
def test_env_bool_accepts_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", not expected) is expected


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "25x")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='25x' is not a whole number"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("ALLOWED_HOSTS", " digital.example.org, ,www.example.org ")
    assert env_list("ALLOWED_HOSTS", []) == ["digital.example.org", "www.example.org"]


# Set by the test settings or the browser tests' conftest in this process; a production server has none.
TEST_ONLY_VARIABLES = ("STADTDIGITAL_TESTING", "DATABASE_URL", "HTTPS_ONLY", "DJANGO_ALLOW_ASYNC_UNSAFE")


def production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="stadtdigital.settings",
        SECRET_KEY=secrets.token_urlsafe(60),
        DEBUG="false",
        DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="digital.musterstadt.example",
    )
    env.update(extra)
    return env


def stadtdigital(*args, env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "stadtdigital", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_debug_off_and_a_secret_key(tmp_path):
    result = stadtdigital("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_in_environment_stops_with_a_clear_message(tmp_path):
    result = stadtdigital("check", env=production_env(tmp_path, DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean (use true or false)" in result.stderr


def test_migrate_creates_a_missing_data_dir_for_sqlite(tmp_path):
    data_dir = tmp_path / "neu" / "daten"
    result = stadtdigital("migrate", "-v0", env=production_env(data_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (data_dir / "stadtdigital.sqlite3").is_file()


def test_log_format_json_writes_json_lines(tmp_path):
    code = "import logging; logging.getLogger('stadtdigital.probe').warning('hallo %s', 'welt')"
    result = stadtdigital("shell", "-c", code, env=production_env(tmp_path, LOG_FORMAT="json"))
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hallo welt"
    assert line["level"] == "WARNING" and line["logger"] == "stadtdigital.probe" and line["request_id"] == "-"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be plain or json, not 'xml'"),
        ("METRICS_ALLOWED_ADDRESSES", "10.0.0.0/8,intranet", "METRICS_ALLOWED_ADDRESSES: 'intranet' is not"),
    ],
)
def test_bad_monitoring_settings_stop_with_a_clear_message(tmp_path, name, value, message):
    result = stadtdigital("check", env=production_env(tmp_path, **{name: value}))
    assert result.returncode != 0
    assert message in result.stderr
