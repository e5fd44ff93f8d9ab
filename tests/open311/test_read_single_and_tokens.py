"""GET requests/<id>.{json,xml} and tokens/<token>.{json,xml}."""

import pytest

from stadtdigital.open311 import tokens
from stadtdigital.reports.models import EventKind, Visibility
from stadtdigital.reports.services.history import record_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_single_request(get311, make_report, fmt):
    report = make_report(address="Marktplatz 1")
    response, doc = get311(f"requests/{report.pk}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        (item,) = doc
        assert item["service_request_id"] == str(report.pk) and item["address"] == "Marktplatz 1"
    else:
        assert doc.tag == "service_requests"
        assert [child.tag for child in doc] == ["request"]
        assert doc.findtext("request/service_request_id") == str(report.pk)


def test_single_request_is_one_query_with_its_validators_and_reads_like_the_list(
    get311, make_report, add_photo, django_assert_num_queries
):
    report = make_report()
    add_photo(report, position=1)
    first = add_photo(report, position=0)
    record_event(report, EventKind.ANSWER, public_text="Erste Antwort")
    record_event(report, EventKind.ANSWER, public_text="Neueste Antwort")
    record_event(report, EventKind.NOTE, internal_note="intern")
    with django_assert_num_queries(1):  # the request, read with its validators (ETag, Last-Modified)
        _, single = get311(f"requests/{report.pk}.json")
    _, listed = get311("requests.json")
    assert single == listed
    assert single[0]["status_notes"] == "Neueste Antwort"
    assert single[0]["media_url"].endswith(f"/anliegen/{report.pk}/fotos/{first.pk}/")


def test_single_request_with_extensions(get311, make_report):
    report = make_report()
    _, doc = get311(f"requests/{report.pk}.json", extensions="true")
    assert doc[0]["extended_attributes"]["detailed_status"] == "received"


def test_single_request_outside_the_default_window(get311, make_report):
    import datetime

    from django.utils import timezone

    report = make_report(created_at=timezone.now() - datetime.timedelta(days=800))
    response, _ = get311(f"requests/{report.pk}.json")
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING_CONFIRMATION])
def test_non_public_request_is_404(get311, make_report, fmt, visibility):
    report = make_report(visibility=visibility)
    response, doc = get311(f"requests/{report.pk}.{fmt}")
    assert response.status_code == 404
    text = doc[0]["description"] if fmt == "json" else doc.findtext("error/description")
    assert "service_request_id" in text


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999999", "1e3", "٣"])
def test_bad_request_id_is_400(get311, category, value):
    response, doc = get311(f"requests/{value}.json")
    assert response.status_code == 400
    assert "service_request_id" in doc[0]["description"]


def test_missing_request_is_404(get311, category):
    response, doc = get311("requests/123456.xml")
    assert response.status_code == 404
    assert doc.tag == "errors"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_token_of_public_report(get311, make_report, fmt):
    report = make_report()
    token = tokens.token_for(report.pk)
    response, doc = get311(f"tokens/{token}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert doc == [{"service_request_id": str(report.pk), "token": token}]
    else:
        assert doc.tag == "service_requests"
        request = doc.find("request")
        assert [c.tag for c in request] == ["service_request_id", "token"]
        assert request.findtext("service_request_id") == str(report.pk)


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.PENDING_CONFIRMATION])
def test_token_of_waiting_or_hidden_report_has_no_id(get311, make_report, visibility):
    report = make_report(visibility=visibility)
    token = tokens.token_for(report.pk)
    _, doc = get311(f"tokens/{token}.json")
    assert doc == [{"token": token}]
    _, root = get311(f"tokens/{token}.xml")
    assert [c.tag for c in root.find("request")] == ["token"]


def test_the_email_confirmation_token_is_not_an_open311_token(get311, make_report):
    report = make_report(visibility=Visibility.PENDING_CONFIRMATION)
    response, _ = get311(f"tokens/{report.confirmation_token}.json")
    assert response.status_code == 404


def test_token_of_a_deleted_report_is_404(get311, make_report):
    report = make_report(visibility=Visibility.PENDING_CONFIRMATION)
    token = tokens.token_for(report.pk)
    report.delete()
    response, _ = get311(f"tokens/{token}.json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "value", ["6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", "kein-token", "1" * 300, "MQ:forged"]
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_token_is_404(get311, category, value, fmt):
    response, doc = get311(f"tokens/{value}.{fmt}")
    assert response.status_code == 404
    text = doc[0]["description"] if fmt == "json" else doc.findtext("error/description")
    assert "token" in text
