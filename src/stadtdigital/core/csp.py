"""Content-Security-Policy helpers for the settings (django-csp does the sending)."""

import base64
import hashlib
import re
from html import escape, unescape
from urllib.parse import urlsplit


def origin_of(url_template: str) -> list[str]:
    """The origin of a URL or tile URL template as a CSP source; "{s}." subdomains become a wildcard.

    "https://{s}.tile.example.org/{z}/{x}/{y}.png" -> ["https://*.tile.example.org"]; "" -> [].
    """
    if not url_template:
        return []
    parts = urlsplit(url_template.replace("{s}.", "*."))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc}"]


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
_UNIVERSAL_RULE = re.compile(r"^\s*\*\s*\{([^}]*)\}\s*$", re.S)
_PROPERTY = re.compile(r"^[a-z-]+$")


def _declarations(css: str) -> list[tuple[str, str]]:
    pairs = []
    for declaration in css.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value and _PROPERTY.match(name):
            pairs.append((name, escape(value, quote=True)))
    return pairs


def _attributes(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {name}="{value}"' for name, value in pairs)


def _svg_without_styles(svg: str) -> str:
    # Universal rules ("*{stroke-linejoin: round}", matplotlib's) become inherited attributes on <svg>:
    # as a CSS rule they would also beat the per-element attributes below, which style="" did not.
    inherited = []
    for match in _STYLE_ELEMENT.finditer(svg):
        rule = _UNIVERSAL_RULE.match(match.group(1))
        if rule:
            inherited += _declarations(rule.group(1))
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: _attributes(_declarations(unescape(match.group(1)))), svg)
    if inherited:
        svg = svg.replace("<svg", "<svg" + _attributes(inherited), 1)
    return svg


def svg_presentation_attributes(html: str) -> str:
    """Inline SVG (matplotlib's charts) without style="" and <style>: as SVG presentation attributes.

    fill, stroke, font-size ... are attributes as well as CSS properties; the chart looks the same and the
    page needs no 'unsafe-inline' style. HTML outside <svg> is left alone.
    """
    return _SVG.sub(lambda match: _svg_without_styles(match.group(0)), html)


def allow_own_style_elements(response, html: str) -> None:
    """Let a generated standalone document (the report's HTML file) use its own <style> elements, by hash.

    Only the exact CSS we rendered is allowed (CSP hash source), so the policy stays strict.
    """
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in _STYLE_ELEMENT.findall(html)
    ]
    if hashes:
        response._csp_update = {"style-src": hashes}
