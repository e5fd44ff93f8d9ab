"""Test settings: the production settings module, with a throwaway data directory and a fixed key."""

import os
import tempfile

os.environ.setdefault("STADTDIGITAL_TESTING", "true")
os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-production-" + "x" * 40)
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stadtdigital-test-"))
os.environ.setdefault("HTTPS_ONLY", "false")

from stadtdigital.settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
