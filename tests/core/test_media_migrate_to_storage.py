"""`stadtdigital media migrate-to-storage` against moto in server mode: copies MEDIA_ROOT into the bucket
byte for byte, raw uploads private; a second run skips what is there with the same checksum and replaces
what differs; bad configuration is a clear error; a checksum mismatch exits with 1."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.s3_server import CREDENTIALS, use_bucket

pytestmark = pytest.mark.django_db

FILES = {
    "reports/7/3f2a.jpg": b"\xff\xd8processed photo" * 1000,
    "reports/7/3f2a-thumb.jpg": b"\xff\xd8thumbnail",
    "reports/incoming/9b1c.jpg": b"\xff\xd8raw upload with EXIF GPS 49.1,9.2",
}


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media"
    for name, content in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def bucket(s3_server, settings):
    name = s3_server.new_bucket()
    use_bucket(settings, s3_server, name, public_urls="public")
    return name


def migrate(capsys, *args):
    call_command("media", "migrate-to-storage", *args)
    out = capsys.readouterr()
    return out.out, out.err


def _public(s3_server, bucket, key) -> bool:
    grants = s3_server.client().get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(grant["Grantee"].get("URI", "").endswith("/global/AllUsers") for grant in grants)


def test_copies_every_file_byte_for_byte_and_keeps_raw_uploads_private(media_root, bucket, s3_server, capsys):
    out, err = migrate(capsys)
    assert s3_server.objects(bucket) == FILES
    assert "3 Dateien kopiert" in out and "0 abweichend, 0 fehlgeschlagen" in out
    assert "3 von 3 Dateien geprüft (100 %)" in err  # progress
    assert _public(s3_server, bucket, "reports/7/3f2a.jpg")  # MEDIA_PUBLIC_URLS=public
    assert not _public(s3_server, bucket, "reports/incoming/9b1c.jpg")


def test_second_run_skips_same_checksums_and_replaces_what_differs(media_root, bucket, s3_server, capsys):
    migrate(capsys)
    s3_server.client().put_object(Bucket=bucket, Key="reports/7/3f2a-thumb.jpg", Body=b"truncated")
    out, _err = migrate(capsys)
    assert "0 Dateien kopiert" in out and "1 ersetzt, 2 schon vorhanden" in out
    assert s3_server.objects(bucket) == FILES


def test_dry_run_copies_nothing(media_root, bucket, s3_server, capsys):
    out, _err = migrate(capsys, "--dry-run")
    assert "3 Dateien würden kopiert" in out
    assert s3_server.objects(bucket) == {}


def test_without_object_storage_it_names_the_setting(media_root, settings):
    settings.MEDIA_S3_LOCATION = None
    with pytest.raises(CommandError, match="MEDIA_STORAGE_URL"):
        call_command("media", "migrate-to-storage")


def test_a_missing_bucket_is_named(media_root, s3_server, settings):
    use_bucket(settings, s3_server, "no-such-bucket")
    with pytest.raises(CommandError, match="'no-such-bucket' ist nicht erreichbar"):
        call_command("media", "migrate-to-storage")


def test_a_missing_source_directory_is_named(bucket, tmp_path):
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("media", "migrate-to-storage", "--source", str(tmp_path / "nowhere"))


def test_a_file_that_changes_during_the_copy_is_a_mismatch_with_exit_code_1(
    media_root, bucket, s3_server, capsys
):
    # A procfs file that reads differently every time: the bytes uploaded are not those checksummed.
    (media_root / "reports" / "7" / "changing.jpg").symlink_to("/proc/sys/kernel/random/uuid")
    with pytest.raises(SystemExit) as exit_info:
        migrate(capsys)
    assert exit_info.value.code == 1
    assert "Prüfsumme weicht ab: reports/7/changing.jpg" in capsys.readouterr().err


def test_help_and_exit_code_from_the_console_command(tmp_path, s3_server):
    env = {**os.environ, **CREDENTIALS, "DJANGO_SETTINGS_MODULE": "stadtdigital.settings"}
    env.update(DATA_DIR=str(tmp_path), MEDIA_STORAGE_URL="s3://bucket?endpoint=ftp://x")
    command = [sys.executable, "-m", "stadtdigital", "media", "migrate-to-storage"]
    result = subprocess.run([*command, "--help"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "endpoint='ftp://x' must be an http(s) URL" in result.stderr
    del env["MEDIA_STORAGE_URL"]
    result = subprocess.run([*command, "--help"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "SHA-256" in result.stdout and "--dry-run" in result.stdout
