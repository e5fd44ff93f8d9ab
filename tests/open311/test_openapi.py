"""The OpenAPI document at /open311/v2/openapi.json and the docs page at /open311/v2/."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from openapi_spec_validator import validate

from stadtdigital.open311.views import openapi

SAMPLES = {"format": "json", "service_code": "abc", "service_request_id": "1", "token": "t0k3n"}


def test_openapi_is_served_and_valid(client):
    response = client.get(reverse("open311:openapi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    validate(document)
    assert document["servers"] == [{"url": "/"}]
    assert document["openapi"].startswith("3.0")


def test_openapi_url_and_methods():
    assert reverse("open311:openapi") == "/open311/v2/openapi.json"
    assert reverse("open311:docs") == "/open311/v2/"


def test_openapi_rejects_post(client):
    assert client.post(reverse("open311:openapi")).status_code == 405


def _concrete(path_template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: SAMPLES[match.group(1)], path_template)


@pytest.mark.parametrize("path_template", sorted(openapi.document()["paths"]))
def test_every_documented_path_resolves(path_template):
    for fmt in ("json", "xml"):
        match = resolve(_concrete(path_template).replace(".json", f".{fmt}"))
        assert match.namespace == "open311"
        assert match.url_name not in ("not-found", "docs", "openapi"), path_template


def _open311_pattern_names() -> set[str]:
    resolver = next(
        item
        for item in get_resolver().url_patterns
        if isinstance(item, URLResolver) and item.namespace == "open311"
    )
    return {item.name for item in resolver.url_patterns if isinstance(item, URLPattern)}


def test_every_url_pattern_is_documented():
    documented = {resolve(_concrete(path)).url_name for path in openapi.document()["paths"]}
    undocumented = _open311_pattern_names() - documented - {"not-found", "docs", "openapi"}
    assert not undocumented


def test_post_bodies_require_api_key():
    body = openapi.document()["paths"]["/open311/v2/requests.{format}"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/x-www-form-urlencoded", "multipart/form-data"}
    schemas = openapi.document()["components"]["schemas"]
    assert schemas["PostBody"]["required"] == ["api_key"]
    assert schemas["PostMultipartBody"]["properties"]["media"]["type"] == "array"


def test_docs_page(client, db):
    response = client.get(reverse("open311:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'lang="de"' in html
    assert reverse("open311:openapi") in html
    for text in ("curl", "api_key", "Datenschutz", "Verwaltung", "servicerequestupdates", "<caption>"):
        assert text in html
    # headings do not skip levels
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False))
    # every in-page link has its target
    for target in re.findall(r'href="#([^"]+)"', html):
        assert f'id="{target}"' in html, target


def test_docs_page_is_not_the_catch_all(client, db):
    response = client.get("/open311/v2/")
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "allow"),
    [("services.json", "GET, HEAD"), ("requests.xml", "GET, HEAD, POST"), ("requests/1.json", "GET, HEAD")],
)
def test_other_methods_get_the_apis_405_with_allow(db, path, allow):
    """Found by schemathesis: unknown methods met the CSRF page (403), requests.* left POST out of Allow."""
    from django.test import Client

    for method in ("QUERY", "DELETE", "OPTIONS"):
        response = Client(enforce_csrf_checks=True).generic(method, f"/open311/v2/{path}")
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == allow
