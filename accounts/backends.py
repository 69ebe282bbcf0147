"""The password doors: staff sign in with a username, citizens with a phone or an email.

The two never cross (ADR 14): `StaffBackend` (desk, admin, API token) refuses a citizen
account, and `CitizenBackend` is reached only by the portal's sign-in, which passes
`citizen=True`, and signs in only a citizen with that confirmed contact. django-axes counts
failures of both per username (for a citizen, the contact typed) and client address.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User


class StaffBackend(ModelBackend):
    """Django's username and password check, for staff accounts only."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if kwargs.pop("citizen", False):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or getattr(user, "is_citizen", False):
            return None
        return user


class CitizenBackend(ModelBackend):
    """A confirmed phone number (normalised) or email address, and the password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not kwargs.get("citizen") or not username or password is None:
            return None
        field = "email" if "@" in username else "phone"
        user = User.objects.filter(
            is_citizen=True, **{field: username, f"{field}_confirmed_at__isnull": False}
        ).first()
        if user is None:
            User().set_password(password)  # the same time whether or not the account exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
