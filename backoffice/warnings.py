"""The desk's warnings list: early warnings and escalations about the steps a user holds."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backoffice.context import active_unit
from dossiers.access import warnings_for

LIMIT = 200


@login_required
def warnings_page(request: HttpRequest) -> HttpResponse:
    """List the warnings about the user's steps and units, newest first."""
    rows = list(warnings_for(request.user, active_unit(request))[: LIMIT + 1])  # type: ignore[arg-type]
    context = {"rows": rows[:LIMIT], "more": len(rows) > LIMIT, "limit": LIMIT}
    return render(request, "backoffice/warnings.html", context)
