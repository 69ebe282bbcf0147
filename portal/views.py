"""Public pages citizens reach without an account: a dossier's status, its signed result, and
/verify, which checks a signed result."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.clientip import client_ip
from accounts.ratelimit import limit_requests
from documents.models import Form, IssuedDocument
from documents.papers import PaperError, has_electronic_result, issue
from documents.signing import MAX_UPLOAD_BYTES, SigningError, verify_pdf
from dossiers.access import LookupLocked, get_dossier_by_receipt
from dossiers.models import Dossier
from lib.text import mask_name
from uploads.limits import body_limit, truncated

logger = logging.getLogger(__name__)


@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def lookup(request: HttpRequest) -> HttpResponse:
    """Ask for the dossier code and the PIN printed on the receipt."""
    code = request.GET.get("code", "").strip()
    pin = request.GET.get("pin", "").strip()
    if code and pin:
        return redirect(f"/tra-cuu/{code}/?pin={pin}")
    return render(request, "portal/lookup.html", {"code": code})


def _by_receipt(request: HttpRequest, code: str) -> "Dossier | HttpResponse | None":
    """The dossier for this code and PIN, None if they don't match, or the "wait" page."""
    try:
        return get_dossier_by_receipt(code, request.GET.get("pin", ""), client=client_ip(request))
    except LookupLocked as exc:
        return render(
            request, "portal/lookup.html", {"code": code, "error": exc.message}, status=429
        )


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "portal/lookup.html",
        {"code": code, "error": _("The dossier code or the lookup PIN is wrong.")},
        status=404,
    )


@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def status(request: HttpRequest, code: str) -> HttpResponse:
    """Show where a dossier stands; nothing personal beyond the applicant's initials."""
    pin = request.GET.get("pin", "")
    dossier = _by_receipt(request, code)
    if isinstance(dossier, HttpResponse):
        return dossier
    if dossier is None:
        return _not_found(request, code)
    return render(
        request,
        "portal/status.html",
        {
            "d": dossier,
            "initials": mask_name(dossier.applicant_name),
            "pin": pin,
            "has_result": has_electronic_result(dossier),
        },
    )


@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def result(request: HttpRequest, code: str) -> HttpResponse:
    """The signed electronic result of an online dossier, for whoever holds its PIN."""
    dossier = _by_receipt(request, code)
    if isinstance(dossier, HttpResponse):
        return dossier
    if dossier is None:
        return _not_found(request, code)
    if not has_electronic_result(dossier):
        return render(
            request,
            "portal/lookup.html",
            {"code": code, "error": _("This dossier has no electronic result yet.")},
            status=404,
        )
    try:
        document = issue(dossier, Form.RESULT, at=timezone.now())
    except (SigningError, PaperError) as exc:
        logger.error("cannot sign the result of %s: %s", code, exc.message)
        return render(
            request,
            "portal/lookup.html",
            {
                "code": code,
                "error": _(
                    "The electronic result cannot be signed right now. The agency has been "
                    "told; please try again later."
                ),
            },
            status=503,
        )
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{code}-ket-qua.pdf"'
    return response


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    context = {"code": "", "error": _("The file is larger than 20 MB.")}
    return render(request, "portal/verify.html", context, status=413)


# uploads.limits.UploadLimitMiddleware refuses a larger body before reading it (this page
# answers) and stops reading one that outgrows the limit.
@csrf_exempt
@body_limit(MAX_UPLOAD_BYTES, _too_large)
@require_http_methods(["GET", "POST"])
@limit_requests("verify", "RATE_LIMIT_VERIFY_PER_MINUTE", methods=("POST",))
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE", methods=("GET",))
def verify(request: HttpRequest) -> HttpResponse:
    """Check a signed result (CSRF-protected); an oversized upload is refused unread."""
    if request.method == "POST" and truncated(request):
        return _too_large(request, MAX_UPLOAD_BYTES)
    return _verify(request)


@csrf_protect
def _verify(request: HttpRequest) -> HttpResponse:
    """Check a signed result: an uploaded PDF, or the one on file for a dossier code."""
    context: dict[str, object] = {"code": request.GET.get("code", "").strip()}
    status_code = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:  # none chosen, or cut off at the limit by _LimitedUpload
            context["error"] = _("Choose a PDF file (at most 20 MB) to check.")
            status_code = 400
        else:
            context["verification"] = verify_pdf(upload.read())
            context["source"] = upload.name
    elif context["code"]:
        code = str(context["code"])
        stored = (
            IssuedDocument.objects.filter(dossier__code=code, form=Form.RESULT)
            .select_related("dossier")
            .first()
        )
        if stored is None:
            # One answer whether or not the dossier exists: codes are guessable.
            context["error"] = _(
                "No signed electronic result is on file for dossier code %(code)s."
            ) % {"code": code}
            status_code = 404
        else:
            context["verification"] = verify_pdf(bytes(stored.content))
            context["source"] = _("the result on file for dossier %(code)s") % {"code": code}
    return render(request, "portal/verify.html", context, status=status_code)
