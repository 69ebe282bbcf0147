"""The answer to a sign-in refused because its username and address are locked (django-axes).

Every door answers alike: the desk and the admin with a Vietnamese page, the API with
problem+json; all with 429 and Retry-After.
"""

from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from api.problems import problem_response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """Return the 429 answer for a locked-out sign-in attempt."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    until = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    detail = _(
        "Too many failed sign-ins for this account from your address. Try again after "
        "%(time)s, or ask the unit administrator."
    ) % {"time": until.strftime("%H:%M %d/%m/%Y") if until else "—"}
    if request.path.startswith("/api/"):
        response = problem_response(
            request, status=429, slug="locked-out", title=_("Sign-in locked"), detail=detail
        )
    else:
        response = render(request, "locked.html", {"detail": detail}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
