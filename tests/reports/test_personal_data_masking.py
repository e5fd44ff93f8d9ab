"""Personal data a citizen writes into a report is masked on every public output (report page, list, Atom
feed, Open311, open data download) until a moderator has looked; staff see the original and why; the
moderator keeps the masking (original deleted) or releases the text."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from stadtdigital.opendata.period import Period
from stadtdigital.opendata.registry import get_dataset
from stadtdigital.reports.models import AttributeValue, EventKind, PersonalDataFinding, PersonalDataReview
from stadtdigital.reports.services import personal_data
from stadtdigital.reports.services.intake import ReportInput, submit_report
from stadtdigital.reports.services.workflow import WorkflowError
from tests.reports.test_intake_helpers import questions  # noqa: F401

pytestmark = pytest.mark.django_db

PHONE, EMAIL, PLATE = "0151 5559876", "xq.meier@example.org", "HN-XQ 987"
TEXT = f"Der Wagen {PLATE} parkt vor Nr. 12 seit dem 3.4.2025. Rückruf {PHONE} oder {EMAIL}"


def submit(**fields):
    data = {"category": "schlagloch", "lat": 49.142, "lon": 9.21, "description": TEXT, **fields}
    return submit_report(ReportInput(**data), client_ip="203.0.113.9").report


def public_outputs(client: Client, report) -> dict[str, str]:
    outputs = {
        "page": client.get(reverse("reports:detail", args=[report.pk])),
        "list": client.get(reverse("reports:list")),
        "feed": client.get(reverse("reports:feed")),
        "open311 list": client.get("/open311/v2/requests.json"),
        "open311 single": client.get(f"/open311/v2/requests/{report.pk}.json"),
        "open311 xml": client.get("/open311/v2/requests.xml"),
    }
    texts = {}
    for name, response in outputs.items():
        assert response.status_code == 200, name
        texts[name] = response.content.decode()
    for fmt in ("csv", "geojson"):
        texts[f"open data {fmt}"] = b"".join(
            get_dataset("anliegen").distribution(fmt).stream(Period(), None)
        ).decode()
    return texts


def test_masked_on_every_public_output(client, category):
    report = submit()
    texts = public_outputs(client, report)
    for name, text in texts.items():
        for secret in (PHONE, "5559876", EMAIL, PLATE):
            assert secret not in text, f"{secret} on {name}"
    assert "Nr. 12" in texts["page"] and "3.4.2025" in texts["page"]  # the rest stays readable
    assert "[Telefonnummer entfernt]" in texts["page"]
    assert "[Kennzeichen entfernt]" in json.dumps(json.loads(texts["open311 single"]), ensure_ascii=False)


def test_staff_see_the_original_and_why(client, category):
    report = submit()
    finding = PersonalDataFinding.objects.get(report=report)
    assert finding.review == PersonalDataReview.PENDING
    assert finding.kinds == ["email", "phone", "plate"]
    assert finding.original_description == TEXT


def test_text_answers_are_masked_too(client, category, questions):  # noqa: F811
    attributes = {"nummer": "Ruf 0171 5554444", "gefahr": "rad"}
    report = submit(description="Laterne aus", attributes=attributes)
    answer = AttributeValue.objects.get(report=report, question__code="nummer")
    assert "5554444" not in json.dumps(answer.value)
    finding = PersonalDataFinding.objects.get(report=report)
    assert finding.original_answers == {str(answer.question_id): "Ruf 0171 5554444"}


def test_no_finding_for_harmless_text(category):
    report = submit(description="Loch vor Hausnummer 12, ca. 50 cm, seit 12.03.2025, Schaden 1.200 Euro")
    assert not PersonalDataFinding.objects.filter(report=report).exists()
    assert report.description.startswith("Loch vor Hausnummer 12")


def test_moderator_keeps_masking_and_the_original_is_deleted(category, department_user):
    report = submit()
    personal_data.keep_masked(report, department_user)
    finding = PersonalDataFinding.objects.get(report=report)
    assert finding.review == PersonalDataReview.KEPT_MASKED and finding.original_description == ""
    report.refresh_from_db()
    assert PHONE not in report.description
    event = report.events.get(kind=EventKind.MODERATION)
    assert event.data["action"] == "personal_data_masked" and not event.is_public
    with pytest.raises(WorkflowError):
        personal_data.keep_masked(report, department_user)


def test_moderator_releases_a_false_alarm(category, department_user):
    report = submit(description="Schild HN-AB 1 verdreht")  # looked like a plate, is a sign's label
    personal_data.release(report, department_user)
    report.refresh_from_db()
    assert report.description == "Schild HN-AB 1 verdreht"
    assert PersonalDataFinding.objects.get(report=report).review == PersonalDataReview.RELEASED
