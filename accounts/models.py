"""People who sign in, and the bearer tokens the API issues to them."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member or, later, a citizen account; roles live in `orgs.StaffRole`."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


def hash_token(raw: str) -> str:
    """Return the SHA-256 hex digest under which a raw token is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def valid_at(self, at: datetime) -> "ApiTokenQuerySet":
        return self.filter(expires_at__gt=at, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token; only its hash is stored, the raw value is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # Looked up on every API request: unique gives the index.
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} (hết hạn {self.expires_at:%d/%m/%Y %H:%M})"

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)


class RateCounter(models.Model):
    """Hits of one key (e.g. a client address on the public lookup) in one fixed window.

    `accounts.ratelimit` increments it with one atomic upsert, so every app node counts
    together; rows of windows long past are deleted by `ratelimit.forget_before`.
    """

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # The upsert of accounts.ratelimit relies on it.
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%d/%m/%Y %H:%M}: {self.count}"
