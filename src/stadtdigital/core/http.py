"""Request helpers shared by the apps."""

from django.conf import settings


def client_ip(request) -> str:
    """The visitor's address; behind the city's proxy (BEHIND_PROXY) the one the proxy appended last.

    Only the last entry of X-Forwarded-For is the proxy's own; earlier ones are whatever the client sent.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
