"""API keys: create, revoke, authenticate, count and rate-limit.

client, key = create_key("Stadt-App", by=request.user)   # show `key` once; only its hash is stored
client = authenticate(request.POST.get("api_key"))       # None for missing, unknown or revoked keys
if not record_use(client): ...                            # over the key's hourly limit
"""

import hashlib
import hmac
import secrets
import string

from django.db.models import F
from django.utils import timezone

from stadtdigital.core import ratelimit
from stadtdigital.open311.models import ApiClient

KEY_LENGTH = 40
KEY_ALPHABET = string.ascii_letters + string.digits  # no "-" or "_": safe in URLs, forms and shell arguments
PREFIX_LENGTH = 8
MAX_KEY_LENGTH = 200  # longer input is never a key; not hashed
WINDOW_SECONDS = 3600


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(
    name: str, by=None, *, rate_limit_per_hour: int | None = None, relays_for_many: bool = False
) -> tuple[ApiClient, str]:
    """A new client with a fresh random key; returns (client, plaintext key). The key is not stored."""
    key = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
    fields = {"rate_limit_per_hour": rate_limit_per_hour} if rate_limit_per_hour is not None else {}
    client = ApiClient.objects.create(
        name=name.strip()[:100],
        relays_for_many=relays_for_many,
        key_prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        created_by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        **fields,
    )
    return client, key


def revoke(client: ApiClient, by=None) -> bool:
    """Revokes the key from now on; False if it was revoked already (the first date stays)."""
    updated = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    client.refresh_from_db(fields=["revoked_at"])
    return bool(updated)


def authenticate(key) -> ApiClient | None:
    """The active client for `key`; None for a missing, malformed, unknown or revoked key."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        return None
    digest = hash_key(key)
    client = ApiClient.objects.filter(key_hash=digest).first()
    if client is None or not hmac.compare_digest(client.key_hash, digest) or client.revoked_at is not None:
        return None
    return client


def record_use(client: ApiClient) -> bool:
    """Counts one request of `client`; True while it is within the key's hourly limit.

    The count and time of last use are updated in the database (F expression, no lost updates); the limit
    uses core.ratelimit with the key `open311:<id>`, so all app servers share it.
    """
    now = timezone.now()
    ApiClient.objects.filter(pk=client.pk).update(requests_count=F("requests_count") + 1, last_used_at=now)
    return ratelimit.hit(f"open311:{client.pk}", client.rate_limit_per_hour, WINDOW_SECONDS)


def find_by_prefix(prefix: str):
    """Clients whose key starts with `prefix` (for the command line)."""
    return ApiClient.objects.filter(key_prefix__startswith=prefix[:PREFIX_LENGTH])
