"""EpochSeconds reads a datetime column as whole seconds since 1970, the same on SQLite and PostgreSQL."""

import datetime

import pytest
from django.contrib.auth.models import User
from hypothesis import given, settings
from hypothesis import strategies as st

from stadtdigital.core.db import EpochSeconds

UTC = datetime.UTC


def epoch_of(moment):
    user = User.objects.create(username=f"u{User.objects.count()}", date_joined=moment, last_login=None)
    return User.objects.filter(pk=user.pk).values_list(
        EpochSeconds("date_joined"), EpochSeconds("last_login")
    )[0]


@pytest.mark.django_db
def test_whole_seconds_of_an_aware_datetime_and_null_for_null():
    moment = datetime.datetime(2024, 3, 31, 1, 59, 59, 999_999, tzinfo=UTC)
    assert epoch_of(moment) == (int(moment.replace(microsecond=0).timestamp()), None)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(
    st.datetimes(
        min_value=datetime.datetime(1971, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.just(UTC),
    )
)
def test_matches_python_for_any_moment(moment):
    assert epoch_of(moment)[0] == int(moment.replace(microsecond=0).timestamp())
