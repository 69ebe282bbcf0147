"""Two-factor sign-in on the web: a session that still owes its code, and the way to the code.

A unit may require two-factor sign-in of its leaders and administrators
(orgs.access.requires_two_factor). After their password such a user is signed in by Django but
not verified by django-otp; until a code is accepted, `TwoFactorMiddleware` makes every request
see an anonymous visitor, so no desk page, admin page or report can be reached half-way. Only
the two step pages of backoffice.signin read the user who owes the code, through `pending_user`.
"""

from collections.abc import Callable
from functools import partial, wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import User
from orgs.access import requires_two_factor

PENDING_ATTR = "_motcua_two_factor_user"


def _resolve(request: HttpRequest, user: Any) -> Any:
    is_verified = getattr(user, "is_verified", None)
    verified = bool(is_verified is not None and is_verified())
    if user.is_authenticated and not verified and requires_two_factor(user):
        setattr(request, PENDING_ATTR, user)
        return AnonymousUser()
    return user


class TwoFactorMiddleware:
    """Treat a session that passed the password but still owes its code as signed out.

    Installed after django-otp's OTPMiddleware, which tells whether the session's user was
    verified. Lazy, like Django's own: a request that never looks at the user costs nothing.
    The site is served over WSGI only, so `request.auser` is not wrapped.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(partial(_resolve, request, request.user))  # type: ignore[assignment]
        return self.get_response(request)


def pending_user(request: HttpRequest) -> User | None:
    """Return the user who passed the password but not yet the code in this session, if any."""
    _ = request.user.is_authenticated  # resolves the lazy user, which notes a pending one
    pending: User | None = getattr(request, PENDING_ATTR, None)
    return pending


def step_url(name: str, next_url: str) -> str:
    """The URL of a sign-in step that carries on to `next_url` afterwards."""
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def after_password(request: HttpRequest, user: User, next_url: str) -> HttpResponse | None:
    """Send a user who must give a code to the code step; None for everyone else."""
    if not requires_two_factor(user):
        return None
    # A code accepted earlier in this session does not count for a new password sign-in.
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    return redirect(step_url("backoffice:two_factor", next_url))


def code_step_first(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a sign-in page: a visitor who owes a code is sent to the code step."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "GET" and pending_user(request) is not None:
            next_url = request.GET.get("next") or settings.LOGIN_REDIRECT_URL
            return redirect(step_url("backoffice:two_factor", next_url))
        return view(request, *args, **kwargs)

    return wrapper
