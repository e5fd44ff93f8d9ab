"""HTTP for the send methods and status back (stdlib urllib; one timeout, errors as SendError with the
target's own answer)."""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from stadtdigital.reports.sending.base import SendError

USER_AGENT = "stadtdigital-sending/1"


def request(
    method: str, url: str, *, data: bytes | None = None, headers: dict | None = None
) -> tuple[int, bytes]:
    if not url.lower().startswith(("http://", "https://")):
        raise SendError(f"Keine http(s)-Adresse: {url}", permanent=True)
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - checked
    try:
        with urllib.request.urlopen(req, timeout=settings.SENDING_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()[:1000].decode("utf-8", "replace")
        # 4xx other than 408/429: the target refuses this request as it is (wrong key, unknown code).
        permanent = 400 <= exc.code < 500 and exc.code not in (408, 409, 425, 429)
        raise SendError(f"HTTP {exc.code} von {url}: {_error_text(body)}", permanent=permanent) from exc
    except TimeoutError as exc:
        raise SendError(f"Zeitüberschreitung nach {settings.SENDING_TIMEOUT_SECONDS} s: {url}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SendError(f"Nicht erreichbar: {url} ({reason})") from exc


def _error_text(body: str) -> str:
    """The Open311 error description(s) if the body is the spec's error list, a JSON object's error
    message, else the body itself."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body.strip()
    if isinstance(parsed, list) and parsed and isinstance(parsed[0], dict) and "description" in parsed[0]:
        return "; ".join(str(item.get("description")) for item in parsed if isinstance(item, dict))
    if isinstance(parsed, dict):
        for key in ("error", "message", "description", "detail"):
            if isinstance(parsed.get(key), str):
                return parsed[key]
    return body.strip()


def get_json(url: str, params: dict | None = None):
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params, doseq=True)}"
    _, body = request("GET", url, headers={"Accept": "application/json"})
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SendError(f"Keine JSON-Antwort von {url}") from exc
