"""What citizen accounts need beside `accounts.User`: one-time codes and the vouching record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    SIGNUP = "signup", _("sign-up")
    RESET = "reset", _("password reset")


class ContactCode(models.Model):
    """A six-digit code sent to a phone or email, stored only as a keyed hash.

    A sign-up creates no account until its code is confirmed: the row holds the name and the
    password hash chosen, so someone who typed another person's phone number never owns the
    account that person later confirms (ADR 14). `user` is set for a password reset.
    """

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    channel = models.CharField(max_length=10)  # sms, email
    contact = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    full_name = models.CharField(max_length=150, blank=True)
    password_hash = models.CharField(max_length=128, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["contact", "created_at"], name="contactcode_contact")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.channel}:{self.contact}"


class IdentityRecord(models.Model):
    """One vouching of a citizen's ID number: by whom, through what, when (append-only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_records"
    )
    id_number = models.CharField(max_length=20)
    source = models.CharField(max_length=10)  # accounts.models.IdSource
    vouched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    client = models.CharField(max_length=45, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "at"], name="identity_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.source} {self.at:%d/%m/%Y %H:%M}"
