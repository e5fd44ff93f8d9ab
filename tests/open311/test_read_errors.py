"""Errors of the read API: the spec's error list in the requested format, never HTML, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "discovery",
    "services",
    "services/schlagloch",
    "requests",
    "requests/1",
    "tokens/abc",
    "servicerequestupdates",
]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("suffix", ["html", "JSON", "php", "j%00son"])
def test_unknown_format_is_json_404(get311, category, path, suffix):
    response, doc = get311(f"{path}.{suffix}")
    assert response.status_code == 404
    assert doc[0]["code"] == 404 and "format" in doc[0]["description"]


@pytest.mark.parametrize("path", ["services", "requests", "", "x/y/z", "requests/", "discovery.json/x"])
def test_other_paths_are_json_404(client, path):
    response = client.get(f"/open311/v2/{path}")
    if path == "":
        return  # the root belongs to the docs page (another part of the API)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("path", [p for p in ENDPOINTS if p != "requests"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_is_405_in_spec_format(client, category, path, method):
    response = getattr(client, method)(f"/open311/v2/{path}.xml")
    assert response.status_code == 405
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert b"<errors><error><code>405</code>" in response.content
    assert "GET" in response["Allow"]


def test_post_requests_goes_to_the_write_side(client, category, monkeypatch):
    from django.http import HttpResponse

    from stadtdigital.open311.views import write

    calls = []

    def fake_post(request, fmt):
        calls.append(fmt)
        return HttpResponse("posted")

    monkeypatch.setattr(write, "post_request", fake_post)
    response = client.post("/open311/v2/requests.xml", {"service_code": "schlagloch"})
    assert response.content == b"posted" and calls == ["xml"]


def test_other_methods_on_requests_are_405_naming_post(client, category):
    response = client.put("/open311/v2/requests.json", {})
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_nul_byte_in_a_parameter_name(get311, category):
    response, doc = get311("services.json", **{"a\x00b": "1"})
    assert response.status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_jurisdiction_optional_with_one_or_none(get311, category, settings, fmt):
    settings.OPEN311_JURISDICTIONS = []
    assert get311(f"services.{fmt}", jurisdiction_id="irgendwas")[0].status_code == 200
    settings.OPEN311_JURISDICTIONS = ["musterstadt.de"]
    assert get311(f"services.{fmt}")[0].status_code == 200
    assert get311(f"services.{fmt}", jurisdiction_id="musterstadt.de")[0].status_code == 200
    response, _ = get311(f"services.{fmt}", jurisdiction_id="andere.de")
    assert response.status_code == 404


# discovery has no jurisdiction in the specification (test_spec_conformance.py: it never demands one)
@pytest.mark.parametrize("path", [path for path in ENDPOINTS if path != "discovery"])
def test_jurisdiction_required_with_several(get311, make_report, settings, path):
    settings.OPEN311_JURISDICTIONS = ["musterstadt.de", "nachbarort.de"]
    response, doc = get311(f"{path}.json")
    assert response.status_code == 400
    assert "jurisdiction_id" in doc[0]["description"]
    response, doc = get311(f"{path}.json", jurisdiction_id="elsewhere.org")
    assert response.status_code == 404
    assert "jurisdiction_id" in doc[0]["description"]
    response, _ = get311("services.json", jurisdiction_id="nachbarort.de")
    assert response.status_code == 200


NASTY = st.one_of(
    st.sampled_from(
        ["", " ", "\x00", "-1", "0", "1e400", "nan", "9" * 30, "2024-02-30T00:00:00Z", "%", "ä,ö", "1,,2"]
    ),
    st.text(max_size=40),
)
PARAMETERS = [
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "bbox",
    "lat",
    "long",
    "radius",
    "updated_after",
    "updated_before",
    "q",
    "extensions",
    "jurisdiction_id",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(ENDPOINTS),
    fmt=st.sampled_from(["json", "xml"]),
    query=st.dictionaries(st.sampled_from(PARAMETERS), NASTY, max_size=5),
)
def test_any_query_is_answered_without_server_error(get311, make_report, path, fmt, query):
    response, _ = get311(f"{path}.{fmt}", **query)  # get311 parses the body: never HTML
    assert response.status_code in (200, 400, 404)
