"""Request filters: NUL bytes refused before any view sees them (PostgreSQL cannot store them);
citizens kept off the staff pages; the gateway's server-to-server notices on a short path."""

import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any
from urllib.parse import unquote_to_bytes

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from api.problems import problem_response
from portal.payments import vnpay_ipn

NUL = "\x00"
# Only url-encoded forms are read here. A multipart body is left to its view: reading it here
# would parse every upload before the view can set its upload handlers (/verify refuses an
# oversized file while it streams); its text fields go through the forms' validation.
FORM_TYPES = ("application/x-www-form-urlencoded",)


def _strings(value: Any) -> Iterable[str]:
    """Yield every key and string value nested in a decoded JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _has_nul(request: HttpRequest) -> bool:
    """Return whether the path, the query string or a body value holds a NUL byte."""
    if NUL in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return False  # the view answers malformed JSON itself
        return any(NUL in text for text in _strings(document))
    if content_type in FORM_TYPES:
        return any(
            NUL in key or any(NUL in v for v in values) for key, values in request.POST.lists()
        )
    return False


class RefuseNulMiddleware:
    """Answer 400 to a request carrying a NUL byte: problem+json under /api/, a page elsewhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        detail = _("The request contains a NUL character, which is never valid input.")
        if request.path.startswith("/api/"):
            return problem_response(
                request,
                status=400,
                slug="invalid-character",
                title=_("Invalid character in the request"),
                detail=detail,
            )
        # No request context: the user is not loaded yet, and the page needs none of it.
        return HttpResponseBadRequest(render_to_string("400.html", {"detail": detail}))


# Where only staff may be: a citizen's session is anonymous there (ADR 14).
STAFF_PREFIXES = ("/desk/", "/ioc/", "/admin/", "/api/")


def _off_staff_pages(user: Any) -> Any:
    if user.is_authenticated and getattr(user, "is_citizen", False):
        return AnonymousUser()
    return user


class CitizensOffStaffPagesMiddleware:
    """Make a signed-in citizen an anonymous visitor on every staff page.

    Every staff view asks for a signed-in user (and the staff sign-in forms refuse a citizen's
    password, accounts.backends), so a citizen reaches nothing there: the desk and the IOC
    send them to the staff sign-in, the admin to its own. Lazy, like Django's user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(STAFF_PREFIXES):
            request.user = SimpleLazyObject(partial(_off_staff_pages, request.user))  # type: ignore[assignment]
        return self.get_response(request)


class GatewayNoticeMiddleware:
    """The payment gateway's IPN (a signed server-to-server GET, no cookie, no browser) goes
    straight to its view, past the browser's middleware below this one (upload limits, CSRF
    (the view is exempt), sessions' users and two-factor, messages, frame and CSP headers,
    htmx, axes): none of them applies to it, and it is the payments' hot path (ADR 19).
    Placed after SecurityMiddleware and RefuseNulMiddleware, which still apply."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = frozenset({reverse("payments_ipn")})

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in self.paths:
            return vnpay_ipn(request)
        return self.get_response(request)
