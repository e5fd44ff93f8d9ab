"""IdList passes many ids as one parameter and selects exactly the rows a plain `__in` list selects."""

import pytest
from django.contrib.auth.models import User
from hypothesis import given, settings
from hypothesis import strategies as st

from stadtdigital.core.db import IdList


@pytest.fixture
def users(db):
    return [User.objects.create(username=f"user{i}") for i in range(5)]


def test_selects_the_listed_rows(users):
    wanted = [users[0].pk, users[3].pk, 999_999]
    selected = User.objects.filter(pk__in=IdList(wanted)).values_list("pk", flat=True)
    assert sorted(selected) == sorted([users[0].pk, users[3].pk])


def test_an_empty_list_selects_nothing(users):
    assert not User.objects.filter(pk__in=IdList([])).exists()


def test_thousands_of_ids_are_one_parameter(users):
    many = list(range(1, 5001))
    queryset = User.objects.filter(pk__in=IdList(many))
    sql, params = queryset.query.sql_with_params()
    assert len(params) == 1
    assert set(queryset.values_list("pk", flat=True)) == {user.pk for user in users}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=50))
def test_same_rows_as_a_plain_in_list(wanted):
    assert list(User.objects.filter(pk__in=IdList(wanted))) == list(User.objects.filter(pk__in=wanted))
