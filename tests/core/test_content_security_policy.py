"""A strict Content-Security-Policy on every response; templates carry no inline script, style or handler."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from stadtdigital.core.csp import origin_of
from tests.portfolio.conftest import field_of_action, make_project, other_field_of_action  # noqa: F401

SRC = Path(__file__).resolve().parents[2] / "src" / "stadtdigital"
# Rendered for mail clients or WeasyPrint, never shown by a browser under our policy.
NOT_FOR_BROWSERS = ("/email/", "/reports/document.html", "_email.", "/pdf/")


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive.strip())
    }


@pytest.mark.parametrize("path", ["/", "/verwaltung/anmelden/", "/opendata/", "/open311/v2/discovery.json"])
def test_every_response_has_a_strict_policy(client, db, path):
    csp = policy(client.get(path))
    assert csp["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive] and "'unsafe-eval'" not in csp[directive]
        assert all(value == "'self'" or value.startswith("'nonce-") for value in csp[directive])
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["img-src"] == ["'self'"]  # no tile server configured in the tests


def test_the_tile_server_is_the_only_other_origin_and_only_for_images():
    assert origin_of("https://{s}.tile.example.org/{z}/{x}/{y}.png") == ["https://*.tile.example.org"]
    assert origin_of("https://karten.stadt.example:8443/tiles/{z}/{x}/{y}.png") == [
        "https://karten.stadt.example:8443"
    ]
    assert origin_of("") == []
    assert origin_of("/static/tiles/{z}/{x}/{y}.png") == []  # same origin already


PRINT_POLICY = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES'], default=str))"
)


def test_a_configured_tile_server_is_allowed_for_images(tmp_path):
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "MAP_TILES_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", PRINT_POLICY],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    directives = json.loads(out)
    assert directives["img-src"] == ["'self'", "https://*.tile.example.org"]
    assert sum("tile.example.org" in " ".join(values) for values in directives.values()) == 1


def browser_templates():
    for path in sorted(SRC.rglob("templates/**/*.html")):
        if not any(part in str(path) for part in NOT_FOR_BROWSERS):
            yield path


def test_templates_have_no_inline_scripts_styles_or_handlers():
    offenders = []
    for path in browser_templates():
        html = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>",
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"javascript:",
        ):
            offenders += [f"{path.relative_to(SRC)}: {m.group(0)}" for m in re.finditer(pattern, html)]
    assert not offenders, "inline code breaks the Content-Security-Policy:\n" + "\n".join(offenders)


def test_login_page_needs_no_nonce(client, db):
    response = client.get(reverse("core:login"))
    assert "nonce" not in response.content.decode()


def test_chart_svg_styles_become_presentation_attributes():
    from stadtdigital.core.csp import svg_presentation_attributes

    html = (
        '<p style="keep">x</p><svg xmlns="http://www.w3.org/2000/svg">'
        '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
        "<text style=\"font-size: 9px; font-family: 'DejaVu Sans', sans-serif; fill: #1b1f24\">A</text>"
        '<path style="fill: none; stroke: #000; stroke-width: 0.4"/></svg>'
    )
    out = svg_presentation_attributes(html)
    svg = out[out.index("<svg") :]
    assert "style" not in svg
    assert '<svg stroke-linejoin="round" stroke-linecap="butt"' in svg
    assert 'font-size="9px"' in svg and 'fill="#1b1f24"' in svg
    assert 'font-family="&#x27;DejaVu Sans&#x27;, sans-serif"' in svg
    assert '<path fill="none" stroke="#000" stroke-width="0.4"/>' in svg
    assert out.startswith('<p style="keep">')  # only inside <svg>


@pytest.fixture
def published_report(make_project):  # noqa: F811
    import datetime

    from stadtdigital.portfolio.annual_report.publishing import publish_report

    make_project("Tablets für Grundschulen")
    return publish_report(as_of=datetime.date(2021, 6, 30))


def test_published_report_page_embeds_charts_without_inline_styles(client, published_report):
    html = client.get(f"/berichte/{published_report.year}/").content.decode()
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert svgs and not any("style=" in svg or "<style" in svg for svg in svgs)


def test_report_preview_allows_only_its_own_style_element(client, digital_office_user):
    client.force_login(digital_office_user)
    response = client.get("/verwaltung/berichte/", {"as_of": "2025-01-01", "format": "html"})
    assert response.status_code == 200
    html = response.content.decode()
    style_src = policy(response)["style-src"]
    assert "'unsafe-inline'" not in style_src
    assert sum(value.startswith("'sha256-") for value in style_src) == html.count("<style")
    assert not re.search(r"<svg\b[^>]*\bstyle=", html)
