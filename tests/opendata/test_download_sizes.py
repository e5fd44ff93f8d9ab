"""Known download sizes: recorded by whole downloads only, valid only while the data is unchanged."""

import logging

import pytest
from django.core.signals import request_finished
from django.db import OperationalError, close_old_connections
from django.test import RequestFactory
from django.urls import reverse

from stadtdigital.opendata import services
from stadtdigital.opendata.models import DownloadSize
from stadtdigital.opendata.registry import FORMATS, Dataset, Distribution, Period, get_dataset, version_tag
from stadtdigital.opendata.selectors import known_byte_size
from stadtdigital.opendata.views.downloads import download
from stadtdigital.portfolio.models import PublishedReport
from tests.portfolio.conftest import field_of_action, make_project  # noqa: F401

DOWNLOADS_MODULE = "stadtdigital.opendata.views.downloads"


@pytest.fixture
def projects(make_project):  # noqa: F811
    make_project("Tablets für Grundschulen", slug="tablets")
    make_project("Glasfaser für alle", slug="glasfaser")


def _filterable_dataset() -> Dataset:
    def stream(period, progress):
        yield b"id\r\n"
        yield b"1\r\n"

    return Dataset(
        name="filterbar",
        title="Filterbar",
        description="",
        keywords=(),
        themes=("GOVE",),
        frequency="DAILY",
        distributions=(Distribution(FORMATS["csv"], stream),),
        modified=lambda: None,
        temporal=lambda: None,
        row_count=lambda period: 1,
        supports_period=True,
    )


def test_a_finished_whole_download_records_its_size_under_its_etag(client, projects):
    response = client.get(reverse("opendata:download", args=["projekte", "csv"]))
    content = b"".join(response.streaming_content)
    recorded = DownloadSize.objects.get(dataset="projekte", format="csv")
    assert recorded.byte_size == len(content)
    assert f'"{recorded.version}"' == response["ETag"]
    dataset = get_dataset("projekte")
    assert known_byte_size(dataset, dataset.distribution("csv")) == len(content)


def test_an_aborted_download_records_nothing(db, monkeypatch):
    # A stream without a database cursor: what is tested is the view, not how a cursor closes.
    monkeypatch.setattr(f"{DOWNLOADS_MODULE}.get_dataset", lambda name: _filterable_dataset())
    # Called directly, as a WSGI server does (the test client wraps streamed content in a closer of its own).
    response = download(RequestFactory().get("/opendata/filterbar.csv"), "filterbar", "csv")
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"id\r\n"  # the client goes away after the first chunk: the server closes
    # Closing fires request_finished; its close_old_connections would close the test's transaction.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert not DownloadSize.objects.exists()


def test_head_requests_record_nothing(client, projects):
    response = client.head(reverse("opendata:download", args=["projekte", "csv"]))
    assert response.status_code == 200
    assert not DownloadSize.objects.exists()


def test_a_period_download_records_nothing(client, db, monkeypatch):
    monkeypatch.setattr(f"{DOWNLOADS_MODULE}.get_dataset", lambda name: _filterable_dataset())
    url = reverse("opendata:download", args=["filterbar", "csv"])
    response = client.get(url, {"start_date": "2024-01-01"})
    assert b"".join(response.streaming_content) == b"id\r\n1\r\n"
    assert not DownloadSize.objects.exists()
    b"".join(client.get(url).streaming_content)
    assert DownloadSize.objects.get(dataset="filterbar").byte_size == 7


def test_a_change_to_the_data_invalidates_the_known_size(projects, make_project):  # noqa: F811
    dataset = get_dataset("projekte")
    distribution = dataset.distribution("csv")
    size = services.measure(dataset, distribution)
    assert known_byte_size(dataset, distribution) == size

    make_project("Neues Projekt", slug="neu")
    dataset = get_dataset("projekte")
    assert known_byte_size(dataset, dataset.distribution("csv")) is None
    # ... until it is measured again, for the new version.
    new_size = services.measure(dataset, dataset.distribution("csv"))
    assert new_size > size
    assert known_byte_size(dataset, dataset.distribution("csv")) == new_size
    assert DownloadSize.objects.filter(dataset="projekte", format="csv").count() == 1


def test_refresh_sizes_measures_missing_and_outdated_streamed_downloads_only(projects, make_project):  # noqa: F811
    PublishedReport.objects.create(
        year=2021, as_of="2021-06-30", title="Digitalisierungsbericht 2021", figures={},
        report_json=b"{}", report_html=b"", report_pdf=b"%PDF", annex_csv=b"",
    )  # fmt: skip
    from stadtdigital.portfolio.opendata import annual_reports
    from stadtdigital.portfolio.opendata import projects as portfolio

    mine = lambda: [*portfolio.datasets(), *annual_reports.datasets()]  # noqa: E731
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("stadtdigital.opendata.services.all_datasets", mine)
        assert services.refresh_sizes() == 3  # the portfolio's CSV, JSON and XLSX; stored files are known
        assert set(DownloadSize.objects.values_list("format", flat=True)) == {"csv", "json", "xlsx"}
        assert services.refresh_sizes() == 0  # nothing changed

        make_project("Neues Projekt", slug="neu")
        assert services.refresh_sizes() == 3
    dataset = get_dataset("projekte")
    for distribution in dataset.distributions:
        expected = len(b"".join(distribution.stream(Period(), None)))
        if distribution.key != "xlsx":  # XLSX embeds a timestamp; its size is stable, its bytes are not
            assert known_byte_size(dataset, distribution) == expected


def test_refresh_sizes_goes_on_when_one_dataset_fails(projects, monkeypatch, caplog):
    def broken_stream(period, progress):
        raise RuntimeError("kaputt")
        yield b""  # pragma: no cover

    broken = Dataset(
        **{
            **_filterable_dataset().__dict__,
            "name": "kaputt",
            "distributions": (Distribution(FORMATS["csv"], broken_stream),),
        }
    )
    from stadtdigital.portfolio.opendata import projects as portfolio

    monkeypatch.setattr(
        "stadtdigital.opendata.services.all_datasets", lambda: [broken, *portfolio.datasets()]
    )
    done = []
    with caplog.at_level(logging.ERROR):
        measured = services.refresh_sizes(on_done=lambda d, dist, size: done.append((d.name, dist.key, size)))
    assert measured == 3
    assert done[0] == ("kaputt", "csv", None)
    assert "Measuring kaputt.csv failed" in caplog.text
    assert DownloadSize.objects.filter(dataset="projekte").count() == 3


def test_a_failing_size_record_does_not_break_the_download(projects, monkeypatch, caplog):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(DownloadSize.objects, "update_or_create", locked)
    dataset = get_dataset("projekte")
    distribution = dataset.distribution("csv")
    with caplog.at_level(logging.WARNING):
        services.record_byte_size(dataset, distribution, version_tag(dataset, distribution, Period()), 10, 2)
    assert "Recording the size of projekte.csv failed" in caplog.text
