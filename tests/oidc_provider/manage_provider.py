"""Administer the test provider from the tests (run in its own process, on its own database).

python -m tests.oidc_provider.manage_provider setup REDIRECT_URI CLIENT_ID CLIENT_SECRET
python -m tests.oidc_provider.manage_provider user USERNAME PASSWORD EMAIL [GROUP ...]
python -m tests.oidc_provider.manage_provider groups USERNAME [GROUP ...]
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")


def main(argv):
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    command, *args = argv
    if command == "setup":
        redirect_uri, client_id, client_secret = args
        Application.objects.update_or_create(
            client_id=client_id,
            defaults={
                "name": "stadtdigital",
                "client_secret": client_secret,
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": redirect_uri,
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": False,
            },
        )
    elif command == "user":
        username, password, email, *groups = args
        user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
        user.set_password(password)
        user.first_name, user.last_name = "Anna", "Beispiel"
        user.save()
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
    elif command == "groups":
        username, *groups = args
        User.objects.get(username=username).groups.set(
            [Group.objects.get_or_create(name=name)[0] for name in groups]
        )
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
