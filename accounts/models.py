"""People who sign in, and the bearer tokens the API issues to them."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IdSource(models.TextChoices):
    """Who vouched for a citizen's ID number."""

    OIDC = "oidc", _("national identity sign-in")
    DESK = "desk", _("desk officer who saw the card")


class User(AbstractUser):
    """A staff member (roles live in `orgs.StaffRole`) or a citizen account (`is_citizen`).

    A citizen account is made only by the citizen doors (sign-up, OpenID Connect); it can never
    be staff (a constraint), and no staff door accepts it (accounts.backends, ADR 14). Its ID
    number is the citizen's own claim until vouched: by the OpenID provider's claims or by a
    desk officer who saw the card; only a vouched number shows desk dossiers filed under it.
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    is_citizen = models.BooleanField(_("citizen account"), default=False)
    id_number = models.CharField(_("ID number / tax code"), max_length=20, blank=True)
    id_number_vouched_at = models.DateTimeField(_("ID number vouched at"), null=True, blank=True)
    id_number_vouched_by = models.ForeignKey(
        "self",
        verbose_name=_("ID number vouched by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    id_number_source = models.CharField(
        _("ID number vouched through"), max_length=10, choices=IdSource.choices, blank=True
    )
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    phone_confirmed_at = models.DateTimeField(_("phone confirmed at"), null=True, blank=True)
    # The provider's subject identifier ("sub") of an account signed in with OpenID Connect.
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_citizen=False) | Q(is_staff=False, is_superuser=False),
                name="user_citizen_never_staff",
            ),
            # A confirmed phone or email signs in one citizen account only.
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(is_citizen=True, phone_confirmed_at__isnull=False),
                name="user_citizen_phone_unique",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(is_citizen=True, email_confirmed_at__isnull=False),
                name="user_citizen_email_unique",
            ),
            # A vouched ID number belongs to one account: it opens that person's dossiers.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(id_number_vouched_at__isnull=False),
                name="user_vouched_id_unique",
            ),
        ]

    @property
    def id_vouched(self) -> bool:
        """Whether the ID number was vouched for (and so opens desk dossiers filed under it)."""
        return bool(self.id_number and self.id_number_vouched_at)

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
