import os
import subprocess
import sys


def run_cli(*args, **env):
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stadtdigital.settings", **env}
    full_env.pop("STADTDIGITAL_TESTING", None)
    return subprocess.run(
        [sys.executable, "-m", "stadtdigital", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_malformed_setting_gives_one_clear_line_and_exit_2(tmp_path):
    result = run_cli("check", DEBUG="maybe", DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "stadtdigital: configuration error: DEBUG='maybe' is not a boolean (use true or false)"
    )


def test_help_lists_project_commands(tmp_path):
    result = run_cli("help", DATA_DIR=str(tmp_path), SECRET_KEY="k" * 60)
    assert result.returncode == 0
    for command in ("demo", "worker", "portfolio", "annual-report"):
        assert command in result.stdout
