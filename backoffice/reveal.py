"""Show one of the applicant's full personal fields, with a reason that is logged (ADR 9)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from accounts.clientip import client_ip
from audit.access import RevealRefused, parse_fields, reveal
from backoffice.views import current_user
from dossiers.access import get_dossier_for_user


@login_required
@require_POST
def reveal_field(request: HttpRequest, code: str) -> HttpResponse:
    """Log who asked for which full field of the dossier and why, then show it."""
    user = current_user(request)
    dossier = get_dossier_for_user(user, code)
    if dossier is None:
        raise Http404
    field = request.POST.get("field", "")
    try:
        values = reveal(
            user,
            dossier,
            parse_fields([field]),
            reason=request.POST.get("reason", ""),
            at=timezone.now(),
            client_address=client_ip(request),
            channel="desk",
        )
    except RevealRefused as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "backoffice/partials/revealed.html",
                {"d": dossier, "field": field, "error": exc.message},
            )
        messages.error(request, exc.message)
        return redirect("backoffice:dossier", code=code)
    (which, value), *_rest = values.items()
    context = {"d": dossier, "field": which, "label": which.label, "value": value}
    template = "backoffice/partials/revealed.html" if request.htmx else "backoffice/revealed.html"  # type: ignore[attr-defined]
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response
