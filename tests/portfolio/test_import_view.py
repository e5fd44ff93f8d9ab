"""The back office import page (Digitalisierungsbüro only) and export download (any staff member)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stadtdigital.portfolio.models import Project

IMPORT_URL = reverse("portfolio:backoffice-import")
EXPORT_URL = reverse("portfolio:backoffice-export")
CSV = (
    "Kennung;Titel;Handlungsfeld;Status;Fachbereich;Budget geplant (EUR)\n"
    "tablets;Tablets;Schulen und Bildung;in Umsetzung;AfD;1.000,00\n"
    "glasfaser;Glasfaser;Schulen und Bildung;Idee;AfD;2.000,00\n"
)


def upload(content: str | bytes, name="portfolio.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def office_client(client, digital_office_user, department, field_of_action):
    client.force_login(digital_office_user)
    return client


def test_upload_creates_projects_and_shows_the_summary(office_client):
    response = office_client.post(IMPORT_URL, {"file": upload(CSV)})
    assert response.status_code == 200
    assert response.context["created_count"] == 2
    assert 'role="status"' in response.content.decode()
    assert set(Project.objects.values_list("slug", flat=True)) == {"tablets", "glasfaser"}


def test_upload_with_a_bad_row_changes_nothing_and_shows_row_column_and_problem(office_client):
    response = office_client.post(IMPORT_URL, {"file": upload(CSV.replace("2.000,00", "13,5 Mio"))})
    html = response.content.decode()
    assert not Project.objects.exists()
    assert 'class="error-summary" role="alert"' in html
    assert "Es wurde nichts geändert" in html
    assert (
        '<td class="num">3</td><td>Budget geplant (EUR)</td><td>&#x27;13,5 Mio&#x27; ist kein Betrag</td>'
        in html
    )


def test_dry_run_shows_the_plan_and_saves_nothing(office_client):
    response = office_client.post(IMPORT_URL, {"file": upload(CSV), "dry_run": "on"})
    html = response.content.decode()
    assert "Probelauf" in html
    assert "Zeile 2: Tablets (tablets)" in html
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload(b"x", name="portfolio.pdf"), "wird nicht unterstützt"),
        (upload(b"", name="portfolio.csv"), "Die Datei ist leer."),
        (upload("Titel\nx".encode("cp1252") + b"\xe4", name="portfolio.csv"), "nicht UTF-8-kodiert"),
        (upload(b"PK\x03\x04 kaputt", name="portfolio.xlsx"), "keine gültige XLSX-Datei"),
    ],
)
def test_unusable_uploads_get_a_clear_message_not_a_500(office_client, file, message):
    response = office_client.post(IMPORT_URL, {"file": file})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def test_upload_over_the_size_limit_is_refused(office_client, settings):
    settings.PORTFOLIO_IMPORT_MAX_UPLOAD_MB = 1
    too_big = CSV + "\n" * (1024 * 1024 + 200_000)
    response = office_client.post(IMPORT_URL, {"file": upload(too_big)})
    html = response.content.decode()
    assert "Die Datei ist 1,2 MB groß; erlaubt sind höchstens 1 MB." in html
    assert "oder Excel (.xlsx), höchstens 1 MB." in html
    assert not Project.objects.exists()


def test_page_has_labelled_form_fields(office_client):
    html = office_client.get(IMPORT_URL).content.decode()
    assert '<label for="id_file">' in html
    assert '<label for="id_dry_run">' in html
    assert 'enctype="multipart/form-data"' in html


def test_department_staff_may_not_import(client, department_user):
    client.force_login(department_user)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(CSV)}).status_code == 403
    assert not Project.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    for url in (IMPORT_URL, EXPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("core:login"))


def test_any_staff_member_may_export_with_internal_fields(client, department_user, make_project):
    make_project("Tablets", slug="tablets", contact_person="Erika Mustermann")
    client.force_login(department_user)

    csv_response = client.get(EXPORT_URL, {"format": "csv"})
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="projektportfolio-' in csv_response["Content-Disposition"]
    assert csv_response.content.startswith("\ufeffKennung;".encode())
    assert "Erika Mustermann" in csv_response.content.decode("utf-8")

    xlsx_response = client.get(EXPORT_URL, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet["A2"].value == "tablets"


def test_export_with_unknown_format_is_a_bad_request(client, department_user):
    client.force_login(department_user)
    assert client.get(EXPORT_URL, {"format": "pdf"}).status_code == 400
