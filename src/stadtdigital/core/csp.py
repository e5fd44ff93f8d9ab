"""Content-Security-Policy helpers for the settings (django-csp does the sending)."""

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
