"""One dataset per published annual report: the frozen PDF and JSON, and the annex as open data CSV made
from the frozen JSON (RFC 4180; the German spreadsheet annex stays on the report's page)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stadtdigital.opendata.registry import Period, all_datasets, get_dataset, version_tag
from stadtdigital.opendata.selectors import known_byte_size
from stadtdigital.portfolio import services
from stadtdigital.portfolio.annual_report.publishing import publish_report
from stadtdigital.portfolio.annual_report.render import annex_open_data_csv
from stadtdigital.portfolio.models import PublishedReport, Status
from stadtdigital.portfolio.opendata import annual_reports
from tests.portfolio.conftest import field_of_action, make_project  # noqa: F401

D = datetime.date
# Larger than one chunk, so streaming has to split and reassemble it.
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 2000
CSV = "\ufeffStichtag;Projekt\r\n2021-06-30;Tablets\r\n".encode()
JSON = (
    b'{"schema": "stadtdigital.annual-report/1", "total_projects": 1, "as_of": "2021-06-30", '
    b'"fields_of_action": [], "projects": []}'
)
OPEN_CSV = annex_open_data_csv(json.loads(JSON))


@pytest.fixture
def report(db):
    return PublishedReport.objects.create(
        year=2021,
        as_of=D(2021, 6, 30),
        title="Digitalisierungsbericht 2021",
        figures={"total_projects": 1},
        report_json=JSON,
        report_html=b"<html></html>",
        report_pdf=PDF,
        annex_csv=CSV,
    )


def test_no_dataset_before_a_report_is_published(client, db):
    assert not [d for d in all_datasets() if d.name.startswith("digitalisierungsbericht-")]
    response = client.get(reverse("opendata:download", args=["digitalisierungsbericht-2021", "pdf"]))
    assert response.status_code == 404


def test_each_published_report_is_a_dataset_newest_first(report):
    PublishedReport.objects.create(
        year=2022, as_of=D(2022, 6, 30), title="Digitalisierungsbericht 2022", figures={},
        report_json=b"{}", report_html=b"", report_pdf=b"%PDF", annex_csv=b"",
    )  # fmt: skip
    names = [d.name for d in all_datasets() if d.name.startswith("digitalisierungsbericht-")]
    assert names == ["digitalisierungsbericht-2022", "digitalisierungsbericht-2021"]
    assert get_dataset("digitalisierungsbericht-2020") is None


@pytest.mark.parametrize(
    ("fmt", "stored", "content_type"),
    [
        ("pdf", PDF, "application/pdf"),
        ("csv", OPEN_CSV, "text/csv; charset=utf-8"),
        ("json", JSON, "application/json; charset=utf-8"),
    ],
)
def test_downloads_serve_the_stored_bytes_with_their_media_type(client, report, fmt, stored, content_type):
    response = client.get(reverse("opendata:download", args=["digitalisierungsbericht-2021", fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == stored


def test_stored_file_streams_in_bounded_chunks_and_reports_its_rows(report):
    distribution = get_dataset("digitalisierungsbericht-2021").distribution("pdf")
    chunks = list(distribution.stream(Period(), None))
    assert len(chunks) > 1
    assert max(map(len, chunks)) <= annual_reports.CHUNK_BYTES
    assert b"".join(chunks) == PDF

    seen = []
    csv = get_dataset("digitalisierungsbericht-2021").distribution("csv")
    assert b"".join(csv.stream(Period(), seen.append)) == OPEN_CSV
    assert OPEN_CSV.startswith(b"stichtag,handlungsfeld,")  # RFC 4180: no BOM, commas
    assert seen == [1]  # the annex has one row per project of the report


def test_sizes_are_known_up_front_without_measuring(report, django_assert_num_queries):
    dataset = get_dataset("digitalisierungsbericht-2021")
    with django_assert_num_queries(0):
        sizes = {d.key: known_byte_size(dataset, d) for d in dataset.distributions if d.key != "csv"}
    assert sizes == {"pdf": len(PDF), "json": len(JSON)}
    with django_assert_num_queries(1):  # the CSV is made from the stored JSON
        assert known_byte_size(dataset, dataset.distribution("csv")) == len(OPEN_CSV)


def test_metadata_of_a_report_dataset(report):
    dataset = get_dataset("digitalisierungsbericht-2021")
    assert str(dataset.title) == "Digitalisierungsbericht 2021"
    assert "30.06.2021" in str(dataset.description)
    assert dataset.frequency == "ANNUAL"
    assert dataset.modified() == report.published_at
    assert dataset.issued() == report.published_at
    assert dataset.temporal() == (D(2021, 1, 1), D(2021, 6, 30))
    assert dataset.landing_page() == "/berichte/2021/"
    assert dataset.row_count(Period()) == 1
    assert [d.key for d in dataset.distributions] == ["pdf", "csv", "json"]


def test_report_published_for_an_earlier_year_covers_both_years(db):
    PublishedReport.objects.create(
        year=2020, as_of=D(2021, 3, 31), title="Digitalisierungsbericht 2020", figures={},
        report_json=b"{}", report_html=b"", report_pdf=b"%PDF", annex_csv=b"",
    )  # fmt: skip
    assert get_dataset("digitalisierungsbericht-2020").temporal() == (D(2020, 1, 1), D(2021, 3, 31))


def test_a_really_published_report_is_served_byte_identical_and_stays_so(client, make_project):  # noqa: F811
    project = make_project("Tablets für Grundschulen", planned_budget=Decimal("1250000.00"))
    services.change_status(project, Status.IMPLEMENTATION, effective_date=D(2020, 3, 1))
    publish_report(as_of=D(2021, 6, 30))
    dataset = get_dataset("digitalisierungsbericht-2021")
    tags = {d.key: version_tag(dataset, d, Period()) for d in dataset.distributions}

    services.update_project(project, title="Umbenannt", effective_date=timezone.localdate())
    dataset = get_dataset("digitalisierungsbericht-2021")
    for kind, url_name in (("pdf", "report-pdf"), ("json", "report-json")):
        served = client.get(reverse("opendata:download", args=[dataset.name, kind]))
        page_file = client.get(reverse(f"portfolio:{url_name}", kwargs={"year": 2021}))
        assert b"".join(served.streaming_content) == page_file.content
        assert version_tag(dataset, dataset.distribution(kind), Period()) == tags[kind]
    # The open data CSV comes from the frozen JSON (still "Tablets ..."), the German annex as stored.
    stored_json = json.loads(client.get(reverse("portfolio:report-json", kwargs={"year": 2021})).content)
    served = b"".join(client.get(reverse("opendata:download", args=[dataset.name, "csv"])).streaming_content)
    assert (
        served == annex_open_data_csv(stored_json) and b"Tablets f" in served and b"Umbenannt" not in served
    )
    german = client.get(reverse("portfolio:report-csv", kwargs={"year": 2021})).content
    assert german.startswith("\ufeffStichtag;".encode()) and b"Umbenannt" not in german
    assert version_tag(dataset, dataset.distribution("csv"), Period()) == tags["csv"]
    annex = json.loads(b"".join(dataset.distribution("json").stream(Period(), None)))
    assert annex["projects"][0]["title"] == "Tablets für Grundschulen"
