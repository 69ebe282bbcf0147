"""State changes on accounts."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.http import HttpRequest

from accounts.models import ApiToken, User, hash_token


class InvalidCredentials(Exception):
    """Raise when a username and password do not identify an active user."""


def issue_token(
    request: HttpRequest, *, username: str, password: str, at: datetime
) -> tuple[User, str, ApiToken]:
    """Check the credentials and create a bearer token; return the raw value once.

    The request lets django-axes count a failure for this username and client address, and
    refuse a locked pair, exactly as at the desk's and the admin's sign-in. It runs outside
    any transaction: a failure must stay counted when the refusal rolls the request back.
    """
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidCredentials
    # A token is a sign-in: the same signal as the desk's (last_login; django-axes forgets the
    # pair's failures).
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    raw = ApiToken.new_raw()
    # One INSERT: atomic by itself.
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        created_at=at,
        expires_at=at + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return user, raw, token
