"""The OpenID Connect door (VNeID): mozilla-django-oidc's views, on when a client id is set.

The callback answers a refused sign-in (wrong state, a tampered, expired or foreign id_token,
a provider that cannot be reached) with a page and a log line, never a server error.
"""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests import RequestException

from accounts.clientip import client_ip
from accounts.ratelimit import limit_requests

logger = logging.getLogger(__name__)


def _refused(request: HttpRequest) -> HttpResponse:
    detail = _("Signing in with VNeID did not succeed. Please try again.")
    return render(request, "portal/account_message.html", {"error": detail}, status=400)


class StartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        response: HttpResponse = super().get(request)
        return response


class CallbackView(OIDCAuthenticationCallbackView):
    """Exchange the code; sign the citizen in or say why not."""

    @property
    def success_url(self) -> str:
        return self.request.session.get("oidc_login_next") or reverse("citizen:profile")

    def login_failure(self) -> HttpResponse:
        return _refused(self.request)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except (SuspiciousOperation, RequestException, KeyError) as exc:
            logger.warning("OpenID sign-in refused from %s: %s", client_ip(request), exc)
            return _refused(request)
        return response


def _limited(view: Any) -> Any:
    return limit_requests("signin", "RATE_LIMIT_SIGNIN_PER_MINUTE")(view)


start = _limited(StartView.as_view())
callback = _limited(CallbackView.as_view())
