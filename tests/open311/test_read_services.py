"""GET discovery, services and service definitions, in JSON and XML, as the GeoReport v2 spec writes them."""

import pytest

from stadtdigital.reports.models import Category, CategoryQuestion, QuestionType

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
]


@pytest.mark.django_db
def test_discovery_json(get311, settings):
    settings.SITE_URL = "https://stadt.example"
    response, doc = get311("discovery.json")
    assert response.status_code == 200
    assert set(doc) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = doc["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://stadt.example/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.django_db
def test_discovery_xml(get311):
    response, root = get311("discovery.xml")
    assert response.status_code == 200
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_services_json(get311, category, other_category, questions):
    Category.objects.create(
        code="alt", name="Alt", group=category.group, department=category.department, is_active=False
    )
    category.description = "Löcher in der Fahrbahn"
    category.keywords = "Loch, Straße"
    category.save()
    response, doc = get311("services.json")
    assert response.status_code == 200
    assert isinstance(doc, list)
    by_code = {service["service_code"]: service for service in doc}
    assert set(by_code) == {"schlagloch", "spielplatz"}  # inactive categories are not offered
    service = by_code["schlagloch"]
    assert list(service) == SERVICE_FIELDS
    assert service == {
        "service_code": "schlagloch",
        "service_name": "Straßenschäden und Schlaglöcher",
        "description": "Löcher in der Fahrbahn",
        "metadata": True,
        "type": "realtime",
        "keywords": "Loch, Straße",
        "group": "Straße und Verkehr",
    }
    # no required question: its definition carries the notice that a description is needed
    assert by_code["spielplatz"]["metadata"] is True
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_services_xml(get311, category, questions):
    response, root = get311("services.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert root.tag == "services"
    (service,) = root.findall("service")
    assert [child.tag for child in service] == SERVICE_FIELDS
    assert service.findtext("metadata") == "true"
    assert service.findtext("service_name") == "Straßenschäden und Schlaglöcher"


def test_service_definition_json(get311, category, questions):
    questions["nummer"].help_text = "steht auf dem Mast"
    questions["nummer"].save()
    response, doc = get311("services/schlagloch.json")
    assert response.status_code == 200
    assert doc["service_code"] == "schlagloch"
    attributes = doc["attributes"]
    assert [a["code"] for a in attributes] == ["nummer", "tiefe", "seit", "gefahr", "wo"]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4, 5]
    nummer, tiefe, seit, gefahr, wo = attributes
    assert list(nummer) == ATTRIBUTE_FIELDS
    assert nummer["datatype"] == "string"
    assert nummer["datatype_description"] == "steht auf dem Mast"
    assert nummer["description"] == "Mastnummer"
    assert nummer["variable"] is True and nummer["required"] is False
    assert (tiefe["datatype"], seit["datatype"]) == ("number", "datetime")
    assert gefahr["datatype"] == "singlevaluelist" and gefahr["required"] is True
    assert gefahr["values"] == [{"key": "rad", "name": "Radfahrende"}, {"key": "auto", "name": "Autos"}]
    assert wo["datatype"] == "multivaluelist"
    assert [v["key"] for v in wo["values"]] == ["fahrbahn", "gehweg"]


def test_service_definition_xml(get311, category, questions):
    CategoryQuestion.objects.create(
        category=category, code="text", label="Mehr", datatype=QuestionType.TEXT, position=9
    )
    response, root = get311("services/schlagloch.xml")
    assert response.status_code == 200
    assert root.tag == "service_definition"
    assert [child.tag for child in root] == ["service_code", "attributes"]
    attributes = root.findall("attributes/attribute")
    assert len(attributes) == 6
    gefahr = attributes[3]
    # no help text: no datatype_description (left out, never null)
    assert [child.tag for child in gefahr] == [*ATTRIBUTE_FIELDS[:4], *ATTRIBUTE_FIELDS[5:], "values"]
    assert gefahr.findtext("required") == "true"
    values = gefahr.findall("values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("rad", "Radfahrende"),
        ("auto", "Autos"),
    ]
    assert attributes[5].findtext("datatype") == "text"


def test_service_definition_without_questions(get311, category):
    response, doc = get311("services/schlagloch.json")
    (notice,) = doc["attributes"]  # only the informational notice that a description is needed
    assert notice["variable"] is False and notice["code"] == "hinweis_beschreibung"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_or_inactive_service_is_404(get311, category, fmt):
    Category.objects.filter(pk=category.pk).update(is_active=False)
    response, _ = get311(f"services/%C3%A4%00x.{fmt}")
    assert response.status_code == 404
    for code in ("schlagloch", "gibt-es-nicht", "%C3%A4x"):
        response, doc = get311(f"services/{code}.{fmt}")
        assert response.status_code == 404
        if fmt == "json":
            assert doc[0]["code"] == 404 and "service_code" in doc[0]["description"]
        else:
            assert doc.tag == "errors" and doc.find("error/code").text == "404"


def test_services_query_count_is_constant(
    get311, category, other_category, questions, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the validators (ETag, Last-Modified), the list
        get311("services.json")
