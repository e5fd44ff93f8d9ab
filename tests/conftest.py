import pytest
from django.contrib.auth.models import Group, User

from stadtdigital.core import roles
from stadtdigital.core.models import Department


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
