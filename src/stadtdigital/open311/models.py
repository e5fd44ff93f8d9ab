"""API keys of Open311 client applications."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_rate_limit() -> int:
    """Requests per hour for a new key: setting OPEN311_KEY_RATE_LIMIT_PER_HOUR (default 1000)."""
    return settings.OPEN311_KEY_RATE_LIMIT_PER_HOUR


class ApiClient(models.Model):
    """One client application (an app, another city system) with its own API key.

    How the key is stored: only `key_hash`, the SHA-256 hex digest of the key, never the key itself.
    A slow, salted password hash (`make_password`) exists to protect *low-entropy* secrets that people
    choose; our keys are 40 random characters from 62 (about 238 bits) made by `secrets`, so no amount
    of hashing speed makes guessing one from its digest feasible. An unsalted digest is also
    deterministic, so a request is authenticated by one indexed lookup (`key_hash` is unique) instead of
    running a deliberately slow hash against every stored key on every API request. The digest found is
    compared once more with `hmac.compare_digest` (services.authenticate).

    `key_prefix` (the first 8 characters) lets staff tell keys apart in lists and revoke one; it is not
    enough to use or guess the key.
    """

    name = models.CharField(_("Name"), max_length=100)
    key_prefix = models.CharField(_("Schlüsselanfang"), max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("gesperrt am"), null=True, blank=True, editable=False)
    requests_count = models.PositiveBigIntegerField(_("Anfragen"), default=0, editable=False)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True, editable=False)
    rate_limit_per_hour = models.PositiveIntegerField(
        _("Anfragen pro Stunde höchstens"), default=default_rate_limit
    )
    # A server that sends for many people (another city system, an app's back end) posts from one address;
    # the web form's per-address limit would stop it after a few reports, so only the key's limit applies.
    relays_for_many = models.BooleanField(
        _("sendet für viele Menschen von einem Server"),
        default=False,
        help_text=_(
            "Nur für Anwendungen, die Meldungen vieler Menschen über einen eigenen Server "
            "weiterreichen: dann gilt nur die Grenze dieses Schlüssels, nicht die Grenze je "
            "Internetadresse des Webformulars."
        ),
    )

    class Meta:
        verbose_name = _("Open311-Client")
        verbose_name_plural = _("Open311-Clients")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """The first answer to a POST with an `Idempotency-Key`, replayed for 24 hours (open311/idempotency.py).

    `status` 0 means "being processed": the row reserves the key, so a concurrent retry cannot file twice.
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="unique_idempotency_key")]
