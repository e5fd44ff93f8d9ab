"""The real URLconf: read.py routes POST requests.{json,xml} to write.post_request (CSRF exempt)."""

import json

import pytest
from django.test import Client

from stadtdigital.reports.models import Report, Source

GOOD = {
    "service_code": "schlagloch",
    "lat": "49.142",
    "long": "9.21",
    "description": "Tiefes Loch vor Nr. 12",
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_through_the_real_urls(category, open311_client, fmt):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/open311/v2/requests.{fmt}", {**GOOD, "api_key": open311_client[1]})
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.source == Source.API
    if fmt == "json":
        assert json.loads(response.content)[0]["service_request_id"] == str(report.pk)
    else:
        assert f"<service_request_id>{report.pk}</service_request_id>".encode() in response.content


def test_post_without_key_through_the_real_urls_is_403(category):
    response = Client(enforce_csrf_checks=True).post("/open311/v2/requests.xml", GOOD)
    assert response.status_code == 403 and response["Content-Type"] == "text/xml; charset=utf-8"
    assert b"<code>403</code>" in response.content


def test_unknown_format_is_404_in_json(category, open311_client):
    response = Client().post("/open311/v2/requests.html", {**GOOD, "api_key": open311_client[1]})
    assert response.status_code == 404 and response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content)[0]["code"] == 404
    assert Report.objects.count() == 0
