"""Open311 as the specification and typed clients expect it (issue 11, items 1-5): optional description,
jurisdiction_id on POST and discovery, a changeset that follows the catalogue, string ids and no nulls,
repeated parameters."""

import datetime
import json
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stadtdigital.open311.serializers import DESCRIPTION_NOTICE_CODE
from stadtdigital.reports.models import Category, CategoryQuestion, QuestionType, Report
from tests.reports.test_intake_helpers import jpeg_bytes

PLACE = {"service_code": "schlagloch", "lat": "49.142", "long": "9.21"}


def post(client, key, fmt="json", **fields):
    data = {**PLACE, "api_key": key, **fields}
    return client.post(f"/open311/v2/requests.{fmt}", data, REMOTE_ADDR="203.0.113.9")


def definition(get311, code="schlagloch"):
    response, doc = get311(f"services/{code}.json")
    assert response.status_code == 200
    return doc


# --- 1. description is optional where questions or photos carry the content --------------------------


def test_post_without_description_needs_one_where_the_definition_says_so(
    client, category, open311_client, get311
):
    response = post(client, open311_client[1])
    assert response.status_code == 400
    assert "description:" in json.loads(response.content)[0]["description"]
    assert not Report.objects.exists()
    notice = [a for a in definition(get311)["attributes"] if a["code"] == DESCRIPTION_NOTICE_CODE]
    assert notice and notice[0]["variable"] is False and "description" in notice[0]["description"]
    _, services = get311("services.json")
    assert services[0]["metadata"] is True  # clients learn about the notice from the definition


def test_post_without_description_is_accepted_with_a_required_question(
    client, category, questions, open311_client, get311
):
    response = post(client, open311_client[1], **{"attribute[gefahr]": "rad"})
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.description == ""
    codes = [a["code"] for a in definition(get311)["attributes"]]
    assert DESCRIPTION_NOTICE_CODE not in codes  # the required question carries the content


def test_post_without_description_is_accepted_with_a_photo(client, category, open311_client, open311_media):
    photo = SimpleUploadedFile("loch.jpg", jpeg_bytes(), "image/jpeg")
    response = client.post(
        "/open311/v2/requests.json",
        {**PLACE, "api_key": open311_client[1], "media": [photo]},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200, response.content
    assert Report.objects.get().description == ""


def test_openapi_documents_when_description_is_needed(client):
    document = json.loads(client.get("/open311/v2/openapi.json").content)
    text = document["components"]["schemas"]["PostBody"]["properties"]["description"]["description"]
    assert "Optional" in text and "required" in text
    assert "description" not in document["components"]["schemas"]["PostBody"]["required"]


# --- 2. jurisdiction_id on POST as on GET; discovery does not demand one --------------------------------


@pytest.fixture
def two_jurisdictions(settings):
    settings.OPEN311_JURISDICTIONS = ["stadt.example", "kreis.example"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_jurisdiction_is_400_when_several_are_served(
    client, category, open311_client, two_jurisdictions, fmt
):
    response = post(client, open311_client[1], fmt, description="Tiefes Loch vor Nr. 12")
    assert response.status_code == 400
    assert b"jurisdiction_id" in response.content
    assert not Report.objects.exists()


def test_post_with_unknown_jurisdiction_is_404(client, category, open311_client, two_jurisdictions):
    response = post(client, open311_client[1], description="Tiefes Loch", jurisdiction_id="mond.example")
    assert response.status_code == 404
    assert json.loads(response.content)[0]["code"] == 404
    assert not Report.objects.exists()


def test_post_with_a_served_jurisdiction_is_accepted(client, category, open311_client, two_jurisdictions):
    response = post(client, open311_client[1], description="Tiefes Loch", jurisdiction_id="kreis.example")
    assert response.status_code == 200, response.content
    assert Report.objects.count() == 1


def test_discovery_needs_no_jurisdiction(db, get311, two_jurisdictions):
    response, doc = get311("discovery.json")
    assert response.status_code == 200 and doc["endpoints"]
    _, services_error = get311("services.json")
    assert services_error[0]["code"] == 400  # other endpoints still demand one


# --- 3. changeset follows the catalogue -------------------------------------------------------------------


def test_changeset_changes_with_a_category_or_question(get311, category):
    def changeset():
        _, doc = get311("discovery.json")
        assert doc["endpoints"][0]["changeset"] == doc["changeset"]
        return doc["changeset"]

    past = timezone.now() - datetime.timedelta(days=30)
    Category.objects.update(updated_at=past)
    first = changeset()
    assert first == past.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    category.name = "Schlaglöcher"
    category.save()
    second = changeset()
    assert second > first

    Category.objects.update(updated_at=past)
    CategoryQuestion.objects.create(
        category=category, code="tiefe", label="Tiefe", datatype=QuestionType.NUMBER
    )
    assert changeset() > first


# --- 4. string ids, no nulls -------------------------------------------------------------------------------


def test_requests_have_string_ids_and_no_null_fields(get311, make_report):
    report = make_report(description="", address="")
    _, doc = get311("requests.json")
    item = doc[0]
    assert item["service_request_id"] == str(report.pk)
    assert None not in item.values()
    for absent in ("description", "address", "media_url", "status_notes", "address_id", "zipcode"):
        assert absent not in item
    _, single = get311(f"requests/{report.pk}.json", extensions="true")
    assert single[0]["service_request_id"] == str(report.pk)
    for change in single[0]["extended_attributes"]["status_history"]:
        assert None not in change.values()


def test_xml_leaves_out_the_same_fields(get311, make_report):
    report = make_report(description="", address="")
    _, root = get311("requests.xml")
    request = root.find("request")
    assert request.findtext("service_request_id") == str(report.pk)
    assert request.find("description") is None and request.find("zipcode") is None


def test_post_answer_has_a_string_id_and_no_null_account(client, category, open311_client):
    response = post(client, open311_client[1], description="Tiefes Loch vor Nr. 12")
    item = json.loads(response.content)[0]
    assert item["service_request_id"] == str(Report.objects.get().pk)
    assert "account_id" not in item and None not in item.values()
    xml = post(client, open311_client[1], "xml", description="Noch ein Loch hier", lat="49.15")
    root = ElementTree.fromstring(xml.content)  # noqa: S314 - our own output
    assert root.find("request/account_id") is None


def test_openapi_ids_are_strings_and_nothing_is_nullable(client):
    document = json.loads(client.get("/open311/v2/openapi.json").content)
    schemas = document["components"]["schemas"]
    assert schemas["ServiceRequest"]["properties"]["service_request_id"]["type"] == "string"
    assert schemas["PostResult"]["items"]["properties"]["service_request_id"]["type"] == "string"
    assert schemas["RequestUpdates"]["items"]["properties"]["service_request_id"]["type"] == "string"
    assert "nullable" not in json.dumps(document)
    optional = set(schemas["ServiceRequest"]["properties"]) - set(schemas["ServiceRequest"]["required"])
    for name in optional - {"extended_attributes"}:
        assert "Left out" in schemas["ServiceRequest"]["properties"][name].get("description", ""), name


# --- 5. repeated parameters ---------------------------------------------------------------------------------


def test_repeated_status_is_the_comma_form(client, make_report):
    from stadtdigital.reports.models import State

    open_one = make_report()
    closed_one = make_report(state=State.FIXED)
    both = client.get("/open311/v2/requests.json?status=open&status=closed")
    comma = client.get("/open311/v2/requests.json?status=open,closed")
    assert both.status_code == 200
    assert json.loads(both.content) == json.loads(comma.content)
    assert {item["service_request_id"] for item in json.loads(both.content)} == {
        str(open_one.pk),
        str(closed_one.pk),
    }


def test_repeated_ids_and_codes_are_the_comma_form(client, make_report, other_category):
    first, second = make_report(), make_report(category=other_category)
    response = client.get(
        f"/open311/v2/requests.json?service_request_id={first.pk}&service_request_id={second.pk}"
    )
    assert {item["service_request_id"] for item in json.loads(response.content)} == {
        str(first.pk),
        str(second.pk),
    }
    response = client.get("/open311/v2/requests.json?service_code=schlagloch&service_code=spielplatz")
    assert len(json.loads(response.content)) == 2


def test_a_repeated_single_value_parameter_is_400(client, make_report):
    make_report()
    response = client.get("/open311/v2/requests.json?page_size=1&page_size=5")
    assert response.status_code == 400
    assert "page_size" in json.loads(response.content)[0]["description"]
    same = client.get("/open311/v2/requests.json?page_size=5&page_size=5")
    assert same.status_code == 200
