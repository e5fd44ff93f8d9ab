"""A GeoReport v2 client the project did not write (PyPI `georeport`) against a live server."""

import datetime

import pytest
from django.utils import timezone
from georeport import GeoReport

from stadtdigital.reports.models import State

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def reports(make_report, other_category, questions):
    """Two open requests in `schlagloch`, one closed in `spielplatz`, one too old for the default window."""
    now = timezone.now()
    return {
        "open1": make_report(description="Schlagloch eins"),
        "open2": make_report(description="Schlagloch zwei", created_at=now - datetime.timedelta(days=3)),
        "closed": make_report(category=other_category, state=State.FIXED, description="Schaukel repariert"),
        "old": make_report(description="Alt", created_at=now - datetime.timedelta(days=200)),
    }


@pytest.fixture(params=["json", "xml"])
def georeport(request, live_server):
    return GeoReport(f"{live_server.url}/open311/v2", output_format=request.param)


def test_services(georeport, reports):
    services = georeport.get_service_list()
    codes = {service["service_code"] for service in services}
    assert codes == {"schlagloch", "spielplatz"}
    by_code = {service["service_code"]: service for service in services}
    assert str(by_code["schlagloch"]["metadata"]).lower() == "true"
    assert by_code["spielplatz"]["service_name"] == "Spielplätze"


def test_service_definition(georeport, reports):
    definition = georeport.get_service_definition("schlagloch")
    assert definition["service_code"] == "schlagloch"
    attributes = definition["attributes"]
    if georeport.output_format == "xml":  # xmltodict: <attributes><attribute>…
        attributes = attributes["attribute"]
    codes = [attribute["code"] for attribute in attributes]
    assert {"nummer", "tiefe", "seit", "gefahr"} <= set(codes)
    gefahr = next(attribute for attribute in attributes if attribute["code"] == "gefahr")
    assert str(gefahr["required"]).lower() == "true"


def _ids(requests):
    return {int(item["service_request_id"]) for item in requests}


def test_requests_default_window(georeport, reports):
    requests = georeport.get_service_requests()
    assert _ids(requests) == {reports[name].pk for name in ("open1", "open2", "closed")}


def test_requests_filters(georeport, reports):
    by_code = georeport.get_service_requests(service_code="schlagloch", status="open")
    assert _ids(by_code) == {reports["open1"].pk, reports["open2"].pk}
    assert {item["status"] for item in by_code} == {"open"}

    closed = georeport.get_service_requests(status="open,closed", service_code="schlagloch,spielplatz")
    assert reports["closed"].pk in _ids(closed)

    start = (timezone.now() - datetime.timedelta(days=250)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - datetime.timedelta(days=170)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # one result: xmltodict gives a dict instead of a list of one
    old = georeport.get_service_requests(start_date=start, end_date=end)
    old = [old] if isinstance(old, dict) else old
    assert _ids(old) == {reports["old"].pk}

    ids = f"{reports['open1'].pk},{reports['old'].pk}"
    assert _ids(georeport.get_service_requests(service_request_id=ids)) == {
        reports["open1"].pk,
        reports["old"].pk,
    }


def test_single_request(georeport, reports):
    item = georeport.get_service_request(str(reports["closed"].pk))
    assert int(item["service_request_id"]) == reports["closed"].pk
    assert item["status"] == "closed"
    assert item["service_code"] == "spielplatz"
