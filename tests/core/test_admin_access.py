"""Django's admin is for superusers only; role users (even with is_staff set by hand) stay out."""

from django.contrib.auth.models import User

from stadtdigital.core import roles
from tests.conftest import make_user


def test_role_users_do_not_get_into_admin(client, db):
    for role in (roles.DIGITAL_OFFICE, roles.DEPARTMENT_STAFF, roles.READ_ONLY):
        user = make_user(f"u-{role}", role)
        user.is_staff = True  # someone ticked "Mitarbeiter-Status" in the admin: still no access
        user.save()
        client.force_login(user)
        for url in ("/admin/", "/admin/portfolio/project/", "/admin/auth/user/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/")


def test_superuser_gets_into_admin(client, db):
    client.force_login(User.objects.create_superuser("root", password="x" * 12))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/portfolio/project/").status_code == 200


def test_backoffice_links_admin_only_for_superusers(client, digital_office_user):
    client.force_login(digital_office_user)
    assert 'href="/admin/"' not in client.get("/verwaltung/").content.decode()
