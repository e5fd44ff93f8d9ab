"""Every access and download URL in the catalogue answers 200 with the media type the catalogue announces."""

from urllib.parse import urlsplit

import pytest
import rdflib
from django.conf import settings
from django.urls import reverse

from stadtdigital.opendata.vocabularies import DCAT, IANA_MEDIA_TYPES

pytest_plugins = ["tests.opendata.catalog_fixtures"]


def announced_urls(client) -> list[tuple[str, str, int | None]]:
    """(URL, announced media type, announced byte size) for every access and download URL, sorted."""
    response = client.get(reverse("opendata:catalog", args=["ttl"]))
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    urls = set()
    for distribution in graph.subjects(rdflib.RDF.type, DCAT.Distribution):
        media_type = str(graph.value(distribution, DCAT.mediaType)).removeprefix(IANA_MEDIA_TYPES)
        size = graph.value(distribution, DCAT.byteSize)
        for predicate in (DCAT.accessURL, DCAT.downloadURL):
            for url in graph.objects(distribution, predicate):
                urls.add((str(url), media_type, size.toPython() if size is not None else None))
    return sorted(urls)


def assert_every_url_answers(client, urls):
    for url, media_type, size in urls:
        assert url.startswith(settings.SITE_URL + "/"), url  # absolute, on this site
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        content_type, _sep, params = response["Content-Type"].partition(";")
        assert content_type == media_type, url
        if media_type.startswith("text/") or media_type.endswith("json"):
            assert params.strip() == "charset=utf-8", url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, url
        if size is not None:
            assert len(body) == size, url


def test_every_url_of_the_synthetic_registry_answers(client, synthetic_registry):
    urls = announced_urls(client)
    assert len(urls) == 9  # access and download URL are the same for direct downloads
    assert {media_type for _url, media_type, _size in urls} == {
        "text/csv",
        "application/json",
        "application/geo+json",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert_every_url_answers(client, urls)


def test_every_url_of_the_real_registry_answers(client, real_data):
    urls = announced_urls(client)
    paths = {urlsplit(url).path for url, _media_type, _size in urls}
    assert paths == {
        "/opendata/projekte.csv",
        "/opendata/projekte.json",
        "/opendata/projekte.xlsx",
        "/opendata/digitalisierungsbericht-2021.pdf",
        "/opendata/digitalisierungsbericht-2021.csv",
        "/opendata/digitalisierungsbericht-2021.json",
        "/opendata/anliegen.csv",
        "/opendata/anliegen.geojson",
        "/opendata/anliegen-monatsstatistik.csv",
        "/opendata/anliegen-monatsstatistik.json",
        "/opendata/anliegen-monatsstatistik.xlsx",
    }
    assert_every_url_answers(client, urls)


@pytest.mark.parametrize("path", ["/opendata/projekte.xml", "/opendata/unbekannt.csv"])
def test_urls_outside_the_catalogue_are_404(client, synthetic_registry, path):
    assert client.get(path).status_code == 404
