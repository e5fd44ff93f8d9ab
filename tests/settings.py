"""Test settings: the production settings module, with a throwaway data directory and a fixed key."""

import os
import tempfile

os.environ.setdefault("STADTDIGITAL_TESTING", "true")
os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-production-" + "x" * 40)
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stadtdigital-test-"))
# pytest-xdist: each worker gets its own data directory (media files, outbox, the SQLite file of commands run
# in a subprocess); the workers inherit the controller's DATA_DIR, and a worker's subprocesses its worker's.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("STADTDIGITAL_TEST_WORKER") != _worker:
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix=f"stadtdigital-test-{_worker}-")
    os.environ["STADTDIGITAL_TEST_WORKER"] = _worker
os.environ.setdefault("HTTPS_ONLY", "false")

from stadtdigital.settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
