"""GET servicerequestupdates.{json,xml} (FixMyStreet's extension): the city's public updates."""

import datetime

import pytest
from django.utils import timezone

from stadtdigital.reports.models import EventKind, State, Visibility
from stadtdigital.reports.services.history import record_event

pytestmark = pytest.mark.django_db
# In this order; `description` is left out where an update has no text (never null).
UPDATE_FIELDS = ["update_id", "service_request_id", "status", "updated_datetime", "description"]


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def updates(make_report):
    report = make_report(created_at=days_ago(5))
    progress = record_event(
        report,
        EventKind.STATE,
        from_state=State.RECEIVED,
        to_state=State.IN_PROGRESS,
        public_text="Wir kümmern uns.",
        internal_note="geheime Notiz",
        at=days_ago(3),
    )
    answer = record_event(report, EventKind.ANSWER, public_text="Material bestellt.", at=days_ago(2))
    record_event(report, EventKind.NOTE, internal_note="nur intern", at=days_ago(1.5))
    fixed = record_event(
        report, EventKind.STATE, from_state=State.IN_PROGRESS, to_state=State.FIXED, at=days_ago(1)
    )
    hidden = make_report(visibility=Visibility.HIDDEN)
    record_event(hidden, EventKind.ANSWER, public_text="verborgene Antwort", at=days_ago(1))
    return report, [progress, answer, fixed]


def test_updates_json(get311, updates):
    report, (progress, answer, fixed) = updates
    response, doc = get311("servicerequestupdates.json")
    assert response.status_code == 200
    assert [u["update_id"] for u in doc] == [progress.pk, answer.pk, fixed.pk]
    assert [list(u) for u in doc] == [UPDATE_FIELDS, UPDATE_FIELDS, UPDATE_FIELDS[:-1]]
    assert [u["status"] for u in doc] == ["in_progress", "in_progress", "fixed"]
    assert [u.get("description") for u in doc] == ["Wir kümmern uns.", "Material bestellt.", None]
    assert {u["service_request_id"] for u in doc} == {str(report.pk)}
    assert datetime.datetime.fromisoformat(doc[0]["updated_datetime"]).utcoffset() is not None
    body = response.content.decode()
    assert "geheime Notiz" not in body and "nur intern" not in body and "verborgene" not in body


def test_updates_xml(get311, updates):
    response, root = get311("servicerequestupdates.xml")
    assert root.tag == "service_request_updates"
    items = root.findall("request_update")
    assert len(items) == 3
    assert [c.tag for c in items[0]] == UPDATE_FIELDS


def test_updates_start_and_end_date(get311, updates):
    _, (progress, answer, fixed) = updates
    _, doc = get311("servicerequestupdates.json", start_date=days_ago(2.5).isoformat())
    assert [u["update_id"] for u in doc] == [answer.pk, fixed.pk]
    _, doc = get311(
        "servicerequestupdates.json",
        start_date=days_ago(4).isoformat(),
        end_date=days_ago(2.5).isoformat(),
    )
    assert [u["update_id"] for u in doc] == [progress.pk]
    _, doc = get311("servicerequestupdates.json", page_size="1", page="2")
    assert [u["update_id"] for u in doc] == [answer.pk]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"start_date": "morgen"}, "start_date"),
        ({"start_date": "2020-01-01T00:00:00Z", "end_date": "2021-01-01T00:00:00Z"}, "90 days"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_updates_bad_parameters(get311, category, query, parameter):
    response, doc = get311("servicerequestupdates.json", **query)
    assert response.status_code == 400
    assert parameter in doc[0]["description"]


def test_updates_query_count(get311, updates, django_assert_num_queries):
    with django_assert_num_queries(1):
        get311("servicerequestupdates.json")
