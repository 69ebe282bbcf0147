"""State changes on accounts."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.http import HttpRequest

from accounts.models import ApiToken, User, hash_token
from accounts.twofactor import check_code, confirmed_device


class InvalidCredentials(Exception):
    """Raise when a username and password do not identify an active user."""


class CodeRequired(Exception):
    """Raise when the user must give a two-factor code and gave none."""


class NotEnrolled(Exception):
    """Raise when the user must give a two-factor code but has no authenticator device yet."""


class WrongCode(Exception):
    """Raise when the two-factor code is wrong or was already used."""


def issue_token(
    request: HttpRequest,
    *,
    username: str,
    password: str,
    at: datetime,
    otp: str | None = None,
    requires_otp: Callable[[User], bool] = lambda user: False,
) -> tuple[User, str, ApiToken]:
    """Check the credentials and create a bearer token; return the raw value once.

    The request lets django-axes count a failure for this username and client address, and
    refuse a locked pair, exactly as at the desk's and the admin's sign-in. It runs outside
    any transaction: a failure must stay counted when the refusal rolls the request back.

    A user for whom `requires_otp` (the caller's rule, e.g. orgs.access.requires_two_factor)
    is true must also give the current code of their authenticator (`otp`); wrong codes are
    counted by accounts.twofactor, which raises TooManyCodes past the limit.
    """
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidCredentials
    if requires_otp(user):
        device = confirmed_device(user)
        if device is None:
            raise NotEnrolled
        if not otp:
            raise CodeRequired
        if not check_code(user, device, otp, at=at):
            raise WrongCode
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
