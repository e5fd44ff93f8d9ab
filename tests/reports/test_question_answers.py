"""Answers to a category's questions are shown wherever a report is: all of them on the case page, the
public ones on the public page, in Open311 (`extensions=true`, JSON and XML), in the forwarding mail and in
the open data (tests/opendata/test_reports_dataset.py). One selector decides what is public."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from stadtdigital.reports.models import AttributeValue, CategoryQuestion, QuestionType, State
from stadtdigital.reports.selectors.answers import answers_by_report, report_answers
from stadtdigital.reports.services import workflow


@pytest.fixture
def answered(make_report, category):
    mast = CategoryQuestion.objects.create(
        category=category,
        code="mastnummer",
        label="Mastnummer",
        datatype=QuestionType.STRING,
        is_public=True,
        position=1,
    )
    defekt = CategoryQuestion.objects.create(
        category=category,
        code="defekt",
        label="Art des Defekts",
        datatype=QuestionType.SINGLE_CHOICE,
        choices=[{"key": "aus", "name": "leuchtet nicht"}, {"key": "flackert", "name": "flackert"}],
        is_public=True,
        position=2,
    )
    telefon = CategoryQuestion.objects.create(
        category=category, code="rueckruf", label="Rückruf unter", datatype=QuestionType.STRING, position=3
    )
    report = make_report(description="Laterne dunkel")
    AttributeValue.objects.create(report=report, question=defekt, value="aus")
    AttributeValue.objects.create(report=report, question=telefon, value="0151 7654321")
    AttributeValue.objects.create(report=report, question=mast, value="07-123")
    return report


def test_selector_orders_by_question_names_choices_and_filters_internal(answered, make_report):
    everything = report_answers(answered, public_only=False)
    assert [(a.label, a.text, a.is_public) for a in everything] == [
        ("Mastnummer", "07-123", True),
        ("Art des Defekts", "leuchtet nicht", True),
        ("Rückruf unter", "0151 7654321", False),
    ]
    assert [a.code for a in report_answers(answered, public_only=True)] == ["mastnummer", "defekt"]
    unanswered = make_report()
    assert answers_by_report([answered.pk, unanswered.pk], public_only=True).keys() == {answered.pk}
    assert answers_by_report([], public_only=False) == {}


def test_numbers_dates_and_several_choices_read_naturally(make_report, category):
    depth = CategoryQuestion.objects.create(category=category, code="t", label="Tiefe", datatype="number")
    since = CategoryQuestion.objects.create(category=category, code="s", label="Seit", datatype="datetime")
    where = CategoryQuestion.objects.create(
        category=category,
        code="w",
        label="Wo",
        datatype="multivaluelist",
        choices=[{"key": "fahrbahn", "name": "Fahrbahn"}, {"key": "gehweg", "name": "Gehweg"}],
    )
    report = make_report()
    AttributeValue.objects.create(report=report, question=depth, value=12.5)
    AttributeValue.objects.create(report=report, question=since, value="2024-05-01")
    AttributeValue.objects.create(report=report, question=where, value=["fahrbahn", "gehweg", "weg"])
    with translation.override("de"):
        texts = [a.text for a in report_answers(report, public_only=False)]
    assert texts == ["12,5", "01.05.2024", "Fahrbahn, Gehweg, weg"]  # an unknown key is shown as it is


def test_case_page_shows_every_answer_and_marks_internal_ones(client, answered, department_user):
    client.force_login(department_user)
    html = client.get(f"/verwaltung/anliegen/{answered.pk}/").content.decode()
    section = html[html.index('id="answers-heading"') :]
    section = section[: section.index("</section>")]
    assert "Antworten auf die Fragen der Kategorie" in section
    assert "<dt>Mastnummer</dt><dd>07-123</dd>" in section
    assert "<dt>Art des Defekts</dt><dd>leuchtet nicht</dd>" in section
    assert "0151 7654321" in section and "intern" in section.split("Rückruf unter")[1]


def test_public_page_shows_only_public_answers(client, answered):
    html = client.get(f"/anliegen/{answered.pk}/").content.decode()
    assert "Angaben zur Meldung" in html
    assert "<dt>Mastnummer</dt><dd>07-123</dd>" in html and "leuchtet nicht" in html
    assert "Rückruf" not in html and "0151 7654321" not in html


def test_open311_extensions_carry_public_answers_in_json_and_xml(client, answered):
    document = json.loads(client.get("/open311/v2/requests.json", {"extensions": "true"}).content)
    attributes = document[0]["extended_attributes"]["attributes"]
    assert attributes == [
        {"code": "mastnummer", "description": "Mastnummer", "datatype": "string", "value": "07-123"},
        {
            "code": "defekt",
            "description": "Art des Defekts",
            "datatype": "singlevaluelist",
            "values": [{"key": "aus", "name": "leuchtet nicht"}],
        },
    ]
    single = json.loads(
        client.get(f"/open311/v2/requests/{answered.pk}.json", {"extensions": "true"}).content
    )
    assert single[0]["extended_attributes"]["attributes"] == attributes
    xml = client.get("/open311/v2/requests.xml", {"extensions": "true"}).content
    assert b"0151 7654321" not in xml and b"Ruckruf" not in xml
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    items = root.findall("request/extended_attributes/attributes/attribute")
    assert [item.findtext("code") for item in items] == ["mastnummer", "defekt"]
    assert items[0].findtext("value") == "07-123"
    assert items[1].findtext("values/value/name") == "leuchtet nicht"
    plain = json.loads(client.get("/open311/v2/requests.json").content)
    assert "extended_attributes" not in plain[0]


@override_settings(
    REPORT_FORWARDING_BACKEND="stadtdigital.reports.forwarding.EmailBackend",
    REPORT_FORWARDING_EMAIL="poststelle@landkreis.example",
)
def test_forwarding_mail_names_the_public_answers(
    answered, department_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # forwarding is sent after the commit
        workflow.change_state(answered, State.NOT_RESPONSIBLE, user=department_user, forwarded_to="Landkreis")
    body = next(m.body for m in mail.outbox if m.to == ["poststelle@landkreis.example"])
    assert "- Mastnummer: 07-123" in body and "- Art des Defekts: leuchtet nicht" in body
    assert "0151 7654321" not in body


def test_the_openapi_document_describes_the_attributes(client):
    schema = json.loads(client.get("/open311/v2/openapi.json").content)
    extended = schema["components"]["schemas"]["ServiceRequest"]["properties"]["extended_attributes"]
    assert set(extended["properties"]["attributes"]["items"]["properties"]) == {
        "code",
        "description",
        "datatype",
        "value",
        "values",
    }
