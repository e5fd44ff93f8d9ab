"""`/opendata/catalog.<ttl|jsonld|rdf>`: media types, caching headers, 304 answers and unknown formats."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils.http import http_date

pytest_plugins = ["tests.opendata.catalog_fixtures"]

MEDIA_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
}


def url(serialisation: str) -> str:
    return reverse("opendata:catalog", args=[serialisation])


@pytest.mark.parametrize("serialisation", sorted(MEDIA_TYPES))
def test_each_serialisation_with_its_media_type_and_caching_headers(
    client, synthetic_registry, serialisation
):
    response = client.get(url(serialisation))
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPES[serialisation]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=59"
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    # The newest dataset changed at 2024-05-02 14:30:15 Berlin time.
    assert response["Last-Modified"] == "Thu, 02 May 2024 12:30:15 GMT"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Offene Daten Musterstadt" in response.content


def test_the_documents_are_well_formed_in_their_formats(client, synthetic_registry):
    document = json.loads(client.get(url("jsonld")).content)
    assert any(node.get("@type") == "dcat:Catalog" for node in document["@graph"])
    root = ET.fromstring(client.get(url("rdf")).content)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
    assert client.get(url("ttl")).content.startswith(b"@prefix ")


def test_german_catalogue_whatever_the_visitor_language(client, synthetic_registry):
    german = client.get(url("ttl"), HTTP_ACCEPT_LANGUAGE="de").content
    client.cookies["django_language"] = "en"
    assert client.get(url("ttl"), HTTP_ACCEPT_LANGUAGE="en").content == german


@pytest.mark.parametrize("serialisation", sorted(MEDIA_TYPES))
def test_conditional_requests_are_answered_304(client, synthetic_registry, serialisation):
    first = client.get(url(serialisation))
    again = client.get(url(serialisation), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(url(serialisation), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url(serialisation), HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_etag_changes_with_the_content(client, synthetic_registry, settings):
    turtle = client.get(url("ttl"))
    assert client.get(url("jsonld"))["ETag"] != turtle["ETag"]
    settings.OPENDATA_LICENSE = "http://dcat-ap.de/def/licenses/cc-by/4.0"
    changed = client.get(url("ttl"), HTTP_IF_NONE_MATCH=turtle["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != turtle["ETag"]
    assert b"<http://dcat-ap.de/def/licenses/cc-by/4.0>" in changed.content


def test_empty_registry_still_gives_a_catalogue(client, db, monkeypatch):
    monkeypatch.setattr("stadtdigital.opendata.registry.collect", lambda: [])
    response = client.get(url("ttl"))
    assert response.status_code == 200
    assert b"dcat:Catalog" in response.content
    assert b"dcat:dataset" not in response.content
    assert not response.has_header("Last-Modified")


@pytest.mark.parametrize("serialisation", ["xyz", "csv", "json", "xml", "TTL"])
def test_unknown_serialisation_is_404(client, synthetic_registry, serialisation):
    assert client.get(f"/opendata/catalog.{serialisation}").status_code == 404


def test_head_and_post(client, synthetic_registry):
    head = client.head(url("ttl"))
    assert head.status_code == 200
    assert head["Content-Type"] == MEDIA_TYPES["ttl"]
    assert client.post(url("ttl")).status_code == 405


def test_if_modified_since_before_the_last_change_gets_the_catalogue(client, synthetic_registry):
    response = client.get(url("ttl"), HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200
