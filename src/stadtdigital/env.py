"""Reading settings from environment variables, with clear errors for malformed values."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nein", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_floats(name: str, default: list[float], count: int | None) -> tuple[float, ...]:
    """Comma-separated numbers; exactly `count` of them unless count is None."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return tuple(default)
    parts = [item.strip() for item in raw.split(",")]
    try:
        values = tuple(float(item) for item in parts)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} must be {count} comma-separated numbers") from None
    if count is not None and len(values) != count:
        raise ImproperlyConfigured(f"{name}={raw!r} must be {count} comma-separated numbers")
    return values


def env_mapping(name: str) -> dict[str, str]:
    """'Key=value;Other key=other value' -> dict; empty when unset."""
    raw = os.environ.get(name, "")
    mapping = {}
    for item in raw.split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name}: {item.strip()!r} is not of the form 'name=value'")
        mapping[key.strip()] = value.strip()
    return mapping
