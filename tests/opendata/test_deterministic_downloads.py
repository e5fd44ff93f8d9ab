"""Every download of every dataset gives the same bytes twice for the same data (issue 11, item 6): one
strong ETag stands for one body, and dcat:byteSize is true."""

import datetime
import io
import time
import zipfile

import openpyxl

from stadtdigital.opendata.registry import all_datasets

pytest_plugins = ["tests.opendata.catalog_fixtures"]


def fetch_all(client) -> dict[str, tuple[str, bytes]]:
    bodies = {}
    for dataset in all_datasets():
        for distribution in dataset.distributions:
            response = client.get(f"/opendata/{dataset.name}.{distribution.key}")
            assert response.status_code == 200, (dataset.name, distribution.key)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            bodies[f"{dataset.name}.{distribution.key}"] = (response["ETag"], body)
    return bodies


def test_two_fetches_of_every_download_are_identical(client, real_data):
    first = fetch_all(client)
    assert {"projekte.xlsx", "anliegen-monatsstatistik.xlsx", "anliegen.csv", "projekte.csv"} <= set(first)
    time.sleep(1.1)  # openpyxl and zipfile stamp the time of writing to the second
    second = fetch_all(client)
    for name, (etag, body) in first.items():
        assert second[name][0] == etag, name
        assert second[name][1] == body, f"{name} differs between two fetches of the same data"


def test_xlsx_dates_are_the_datas_last_change(client, real_data):
    from stadtdigital.opendata.registry import get_dataset

    body = b"".join(client.get("/opendata/projekte.xlsx").streaming_content)
    modified = get_dataset("projekte").modified()
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    expected = modified.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    assert workbook.properties.modified.replace(microsecond=0) == expected
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert len({info.date_time for info in archive.infolist()}) == 1
