"""Citizen accounts for tests, made as sign-up confirmation makes them."""

from datetime import datetime

from django.utils import timezone

from accounts.models import IdSource, User
from citizens.actions import new_username


def citizen(
    phone: str = "",
    email: str = "",
    *,
    name: str = "Nguyễn Văn Công Dân",
    password: str = "Mat-khau-dai-2026",  # noqa: S107 - a test account
    id_number: str = "",
    vouched_by: User | None = None,
    at: datetime | None = None,
) -> User:
    """Return a citizen account with confirmed contacts (and an ID number, vouched if asked)."""
    now = at or timezone.now()
    user = User(
        username=new_username(),
        is_citizen=True,
        full_name=name,
        phone=phone,
        email=email,
        phone_confirmed_at=now if phone else None,
        email_confirmed_at=now if email else None,
        id_number=id_number,
    )
    if vouched_by is not None:
        user.id_number_vouched_at = now
        user.id_number_vouched_by = vouched_by
        user.id_number_source = IdSource.DESK
    user.set_password(password)
    user.save()
    return user
