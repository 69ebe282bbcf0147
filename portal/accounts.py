"""The citizen's account pages under /tai-khoan/: sign-up, confirmation code, sign-in,
sign-out, forgotten password, profile. Thin: a form, one action, a page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.ratelimit import limit_requests
from citizens import actions
from citizens.codes import CodeError
from citizens.models import ContactCode, Purpose
from lib.ids import mask
from portal.forms import CodeForm, ContactForm, ResetForm, SigninForm, SignupForm

SESSION_CODE = "citizen_code_row"
PROFILE = "citizen:profile"


def _account_limit(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return limit_requests("account", "RATE_LIMIT_ACCOUNT_PER_MINUTE", methods=("POST",))(view)


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a page for a signed-in citizen; others go to the citizen's sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not getattr(user, "is_citizen", False):
            return redirect(f"{reverse('citizen:signin')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def _context(**extra: Any) -> dict[str, Any]:
    return {
        "codes_in_log": settings.CONFIRMATION_CODES_IN_LOG,
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_demo": settings.OIDC_DEMO_PROVIDER,
        **extra,
    }


def _pending(request: HttpRequest) -> ContactCode | None:
    row_id = request.session.get(SESSION_CODE)
    return ContactCode.objects.filter(pk=row_id).first() if row_id else None


def _masked_contact(row: ContactCode) -> str:
    if row.channel == "email":
        local, _at, domain = row.contact.partition("@")
        return f"{local[:2]}***@{domain}"
    return mask(row.contact, keep=3)


@require_http_methods(["GET", "POST"])
@_account_limit
def signup(request: HttpRequest) -> HttpResponse:
    """Ask for a name, a contact and a password; send a code to the contact."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = actions.start_signup(
                form.cleaned_data["contact"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                at=timezone.now(),
            )
        except CodeError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[SESSION_CODE] = row.pk
            return redirect("citizen:confirm")
    return render(request, "portal/account_signup.html", _context(form=form))


@require_http_methods(["GET", "POST"])
@_account_limit
def confirm(request: HttpRequest) -> HttpResponse:
    """Take the code sent at sign-up; a right one creates the account and signs it in."""
    row = _pending(request)
    if row is None or row.purpose != Purpose.SIGNUP:
        return redirect("citizen:signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.confirm_signup(row.pk, form.cleaned_data["code"], at=timezone.now())
        except CodeError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(SESSION_CODE, None)
            login(request, user, backend="accounts.backends.CitizenBackend")
            return redirect(PROFILE)
    context = _context(form=form, sent_to=_masked_contact(row), action="citizen:confirm")
    return render(request, "portal/account_confirm.html", context)


@require_POST
@_account_limit
def resend(request: HttpRequest) -> HttpResponse:
    """Send a new code for the sign-up or reset waiting in this session."""
    row = _pending(request)
    try:
        new = actions.resend(row.pk if row else None, at=timezone.now())
    except CodeError as exc:
        return render(
            request, "portal/account_message.html", _context(error=exc.message), status=429
        )
    request.session[SESSION_CODE] = new.pk
    return redirect("citizen:confirm" if new.purpose == Purpose.SIGNUP else "citizen:reset")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and not target.startswith(("/desk/", "/ioc/", "/admin/")):
        return target
    return reverse(PROFILE)


@require_http_methods(["GET", "POST"])
@limit_requests("signin", "RATE_LIMIT_SIGNIN_PER_MINUTE", methods=("POST",))
def signin(request: HttpRequest) -> HttpResponse:
    """Sign in with a confirmed phone or email and the password (django-axes counts failures
    per contact and client address, as at the desk)."""
    if request.user.is_authenticated and getattr(request.user, "is_citizen", False):
        return redirect(_next(request))
    form = SigninForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        user = authenticate(
            request, username=contact.value, password=form.cleaned_data["password"], citizen=True
        )
        if isinstance(user, User):
            login(request, user)
            return redirect(_next(request))
        form.add_error(None, _("The phone number, email or password is wrong."))
        failures = AxesProxyHandler.get_failures(request, {"username": contact.value})
        left = settings.LOGIN_MAX_FAILURES - failures
        if left > 0:
            form.add_error(
                None, _("%(n)s attempts left before the account is locked.") % {"n": left}
            )
    context = _context(form=form, next=request.GET.get("next", ""))
    return render(request, "portal/account_signin.html", context)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("citizen:signin")


@require_http_methods(["GET", "POST"])
@_account_limit
def forgot(request: HttpRequest) -> HttpResponse:
    """Ask for the contact of the account; send a reset code if it has one (same answer)."""
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = actions.start_reset(form.cleaned_data["contact"], at=timezone.now())
        except CodeError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[SESSION_CODE] = row.pk
            return redirect("citizen:reset")
    return render(request, "portal/account_forgot.html", _context(form=form))


@require_http_methods(["GET", "POST"])
@_account_limit
def reset(request: HttpRequest) -> HttpResponse:
    """Take the reset code and a new password."""
    row = _pending(request)
    if row is None or row.purpose != Purpose.RESET:
        return redirect("citizen:forgot")
    form = ResetForm(request.POST or None, user=row.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.finish_reset(
                row.pk,
                form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
                at=timezone.now(),
            )
        except CodeError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(SESSION_CODE, None)
            return render(
                request,
                "portal/account_message.html",
                _context(done=_("Your password was changed. Sign in with the new password.")),
            )
    context = _context(form=form, sent_to=_masked_contact(row), action="citizen:reset")
    return render(request, "portal/account_reset.html", context)


@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    """The account: name, contacts and whether the ID number is vouched for."""
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "portal/account_profile.html",
        _context(
            account=user,
            id_masked=mask(user.id_number) if user.id_number else "",
        ),
    )
