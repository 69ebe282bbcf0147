"""The public lookup: a dossier's status and its signed result, for whoever holds its receipt.

The PIN travels only in a POST body: the lookup form posts code and PIN, the answer grants
this session the dossier (portal.grants) and redirects to /tra-cuu/<code>/, an address
without the PIN. The receipt's QR code opens /tra-cuu/#<code>.<pin>: a fragment never leaves
the browser, and lookup.js posts it through the same form (ADR 13). A PIN in a query string
opens nothing.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.clientip import client_ip
from accounts.ratelimit import limit_requests
from documents.models import Form
from documents.papers import PaperError, has_electronic_result, issue
from documents.signing import SigningError
from dossiers.access import LookupLocked, dossier_by_code, get_dossier_by_receipt
from dossiers.models import Dossier
from lib.text import mask_name
from lib.validate import text_problem
from portal.grants import grant, granted, no_store

logger = logging.getLogger(__name__)

CODE_MAX, PIN_MAX = 60, 20


def _form(request: HttpRequest, code: str, error: str = "", status: int = 200) -> HttpResponse:
    context = {"code": code, "error": error}
    return render(request, "portal/lookup.html", context, status=status)


@no_store
@require_http_methods(["GET", "POST"])
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def lookup(request: HttpRequest) -> HttpResponse:
    """Ask for the dossier code and the PIN; on a POST that matches, open the status page."""
    if request.method != "POST":
        # ?code= may prefill the form; a ?pin= is ignored: it already sits in a log.
        code = request.GET.get("code", "").strip()
        return _form(request, code if text_problem(code, max_length=CODE_MAX) is None else "")
    code = request.POST.get("code", "").strip()
    pin = request.POST.get("pin", "").strip()
    for value, limit in ((code, CODE_MAX), (pin, PIN_MAX)):
        problem = text_problem(value, max_length=limit, required=True)
        if problem is not None:
            return _form(request, "", _("Enter the dossier code and the lookup PIN."), 400)
    try:
        dossier = get_dossier_by_receipt(code, pin, client=client_ip(request))
    except LookupLocked as exc:
        return _form(request, code, exc.message, 429)
    if dossier is None:
        return _form(request, code, _("The dossier code or the lookup PIN is wrong."), 404)
    grant(request, dossier.code, at=timezone.now())
    return redirect("portal:status", dossier.code)


def _unreferred(response: HttpResponse) -> HttpResponse:
    # A page with a dossier names its address (the code) to no other site it links to.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _granted_dossier(request: HttpRequest, code: str) -> Dossier | None:
    """The dossier this session holds a grant for, by the code in the address (any case)."""
    dossier = dossier_by_code(code) if len(code) <= CODE_MAX else None
    if dossier is None or not granted(request, dossier.code, at=timezone.now()):
        return None
    return dossier


def _ask_pin(request: HttpRequest, code: str) -> HttpResponse:
    # One answer whether or not the dossier exists: the form, with the code filled in.
    return _form(request, code if len(code) <= CODE_MAX else "", _("Enter the lookup PIN."))


@no_store
@require_GET
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def status(request: HttpRequest, code: str) -> HttpResponse:
    """Show where a dossier stands; nothing personal beyond the applicant's initials."""
    dossier = _granted_dossier(request, code)
    if dossier is None:
        return _ask_pin(request, code)
    if dossier.code != code:
        return redirect("portal:status", dossier.code)
    context = {
        "d": dossier,
        "initials": mask_name(dossier.applicant_name),
        "has_result": has_electronic_result(dossier),
    }
    return _unreferred(render(request, "portal/status.html", context))


@no_store
@require_GET
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def result(request: HttpRequest, code: str) -> HttpResponse:
    """The signed electronic result of an online dossier, for a session granted its status."""
    dossier = _granted_dossier(request, code)
    if dossier is None:
        return _ask_pin(request, code)
    if not has_electronic_result(dossier):
        return _form(request, code, _("This dossier has no electronic result yet."), 404)
    try:
        document = issue(dossier, Form.RESULT, at=timezone.now())
    except (SigningError, PaperError) as exc:
        logger.error("cannot sign the result of %s: %s", dossier.code, exc.message)
        message = _(
            "The electronic result cannot be signed right now. The agency has been told; "
            "please try again later."
        )
        return _form(request, code, message, 503)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dossier.code}-ket-qua.pdf"'
    return _unreferred(response)
