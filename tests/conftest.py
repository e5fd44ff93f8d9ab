import pytest
from django.contrib.auth.models import Group, User

from stadtdigital.core import roles
from stadtdigital.core.models import Department

# Modules whose expensive module-scoped fixture (the demo loaded once, the compiled catalogue) must be set up
# once: under `pytest -n ... --dist loadgroup` (scripts/test.sh) all their tests run on one worker, while
# every other test is handed to whichever worker is free.
ONE_WORKER_MODULES = (
    "tests/portfolio/test_demo_portfolio.py",
    "tests/reports/test_demo_reports.py",
    "tests/reports/test_demo_privacy_scan.py",
    "tests/core/test_translations.py",
)


def pytest_collection_modifyitems(items):
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if module in ONE_WORKER_MODULES:
            item.add_marker(pytest.mark.xdist_group(module))


@pytest.fixture
def department(db):
    return Department.objects.create(name="Amt für Digitalisierung", short_name="AfD", slug="digitalisierung")


@pytest.fixture
def other_department(db):
    return Department.objects.create(name="Schulverwaltungsamt", short_name="SVA", slug="schulverwaltung")


def make_user(username, role=None, departments=()):
    user = User.objects.create_user(username=username, password="correct-horse-battery")
    if role:
        user.groups.add(Group.objects.get(name=role))
    for dept in departments:
        dept.staff.add(user)
    return user


@pytest.fixture
def digital_office_user(db):
    return make_user("cdo", roles.DIGITAL_OFFICE)


@pytest.fixture
def department_user(department):
    return make_user("fachbereich", roles.DEPARTMENT_STAFF, [department])


@pytest.fixture(scope="session")
def s3_server():
    """moto in server mode on a free loopback port (tests/s3_server.py), one for the whole run."""
    from tests.s3_server import S3Server

    server = S3Server().start()
    yield server
    server.stop()
