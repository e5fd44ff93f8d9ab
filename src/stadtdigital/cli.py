"""The `stadtdigital` console command: Django's management commands plus the project's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtdigital.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # The demo serves plain http on 127.0.0.1; production keeps HTTPS-only cookies and redirects.
        os.environ.setdefault("HTTPS_ONLY", "false")
        # The demo has no mail server: its mails are written as files to DATA_DIR/outbox.
        os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A malformed environment variable is the operator's to fix: one clear line, no traceback.
        sys.stderr.write(f"stadtdigital: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
