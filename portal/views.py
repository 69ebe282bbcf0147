"""/verify, which checks a signed result (the lookup is in portal.lookup, the catalogue in
portal.catalogue)."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.ratelimit import limit_requests
from documents.models import Form, IssuedDocument
from documents.signing import MAX_UPLOAD_BYTES, verify_pdf
from uploads.limits import body_limit, truncated

logger = logging.getLogger(__name__)


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
        if upload is None:  # none chosen, or cut off at the limit (uploads.limits)
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
