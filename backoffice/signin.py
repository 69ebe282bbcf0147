"""The desk's sign-in pages: the password, then (where a unit requires it) a code.

The code step and the enrolment of an authenticator app are reached only by a user who passed
the password and owes a code (backoffice.twofactor.pending_user).
"""

from base64 import b64encode
from typing import Any

import qrcode
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from accounts.models import User
from accounts.ratelimit import limit_requests
from accounts.twofactor import (
    TooManyCodes,
    check_code,
    confirmed_device,
    enrolment_device,
    retry_after_seconds,
    secret_text,
)
from backoffice.twofactor import after_password, code_step_first, pending_user, step_url


@method_decorator(code_step_first, name="dispatch")
@method_decorator(
    limit_requests("signin", "RATE_LIMIT_SIGNIN_PER_MINUTE", methods=("POST",)), name="dispatch"
)
class LoginView(auth_views.LoginView):
    """Sign-in; django-axes locks a username and address pair after repeated failures.

    A user whose unit requires two-factor sign-in goes on to the code step (backoffice.twofactor).
    """

    template_name = "backoffice/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        second = after_password(self.request, form.get_user(), self.get_success_url())
        return second or response

    def form_invalid(self, form: Any) -> HttpResponse:
        # Only a username that passed the field's own checks (no NUL...) reaches a query.
        username = form.cleaned_data.get("username", "")
        if username:
            failures = AxesProxyHandler.get_failures(self.request, {"username": username})
            left = settings.LOGIN_MAX_FAILURES - failures
            if left > 0:
                form.add_error(
                    None, _("%(n)s attempts left before the account is locked.") % {"n": left}
                )
        return super().form_invalid(form)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else settings.LOGIN_REDIRECT_URL


def _not_pending(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next(request))
    return redirect(settings.LOGIN_URL)


def _locked(request: HttpRequest) -> HttpResponse:
    detail = _("Too many wrong authentication codes. Try again in a few minutes.")
    response = render(request, "locked.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(retry_after_seconds())
    return response


def _try_code(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse | str:
    """Check the posted code: a redirect onwards when right, else the error to show."""
    try:
        right = check_code(user, device, request.POST.get("code", ""), at=timezone.now())
    except TooManyCodes:
        return _locked(request)
    if not right:
        return _("The code is wrong or has already been used. Enter the current code of your app.")
    request.user = user
    otp_login(request, device)
    # Signing in is complete only now: a new session key, as at any change of privilege.
    request.session.cycle_key()
    return redirect(_next(request))


def qr_data_uri(text: str) -> str:
    """An SVG QR code of `text`, as a data: URI an <img> may show under the site's CSP."""
    svg = qrcode.make(text, image_factory=SvgPathFillImage, border=2).to_string()
    return "data:image/svg+xml;base64," + b64encode(svg).decode()


@require_http_methods(["GET", "POST"])
@limit_requests("signin", "RATE_LIMIT_SIGNIN_PER_MINUTE", methods=("POST",))
def code_step(request: HttpRequest) -> HttpResponse:
    """Ask a user who passed the password for the current code of their authenticator."""
    user = pending_user(request)
    if user is None:
        return _not_pending(request)
    device = confirmed_device(user)
    if device is None:
        return redirect(step_url("backoffice:two_factor_enrol", _next(request)))
    error = ""
    if request.method == "POST":
        outcome = _try_code(request, user, device)
        if isinstance(outcome, HttpResponse):
            return outcome
        error = outcome
    context = {"error": error, "next": _next(request)}
    return render(request, "backoffice/two_factor_code.html", context)


@require_http_methods(["GET", "POST"])
@limit_requests("signin", "RATE_LIMIT_SIGNIN_PER_MINUTE", methods=("POST",))
def enrol_step(request: HttpRequest) -> HttpResponse:
    """Show a new authenticator secret (QR code and text) and confirm it with a first code."""
    user = pending_user(request)
    if user is None:
        return _not_pending(request)
    if confirmed_device(user) is not None:
        return redirect(step_url("backoffice:two_factor", _next(request)))
    device = enrolment_device(user)
    error = ""
    if request.method == "POST":
        outcome = _try_code(request, user, device)
        if isinstance(outcome, HttpResponse):
            return outcome
        error = outcome
    context = {
        "error": error,
        "next": _next(request),
        "qr": qr_data_uri(device.config_url),
        "secret": secret_text(device),
    }
    return render(request, "backoffice/two_factor_enrol.html", context)
