"""State changes on accounts."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction

from accounts.models import ApiToken, User, hash_token


class InvalidCredentials(Exception):
    """Raise when a username and password do not identify an active user."""


@transaction.atomic
def issue_token(*, username: str, password: str, at: datetime) -> tuple[User, str, ApiToken]:
    """Check the credentials and create a bearer token; return the raw value once."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidCredentials
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        created_at=at,
        expires_at=at + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return user, raw, token
