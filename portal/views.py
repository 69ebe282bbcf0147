"""/verify, which checks a signed result (the lookup is in portal.lookup, the catalogue in
portal.catalogue)."""

import logging

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.ratelimit import limit_requests
from documents.models import Form, IssuedDocument
from documents.signing import MAX_UPLOAD_BYTES, verify_pdf

logger = logging.getLogger(__name__)


class _LimitedUpload(FileUploadHandler):
    """Stop reading an upload as soon as it passes the /verify limit (nothing hits the disk)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_UPLOAD_BYTES:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
@limit_requests("verify", "RATE_LIMIT_VERIFY_PER_MINUTE", methods=("POST",))
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE", methods=("GET",))
def verify(request: HttpRequest) -> HttpResponse:
    """Refuse an oversized upload before its body is read, then check it (CSRF-protected)."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_UPLOAD_BYTES + 64 * 1024:
            context = {"code": "", "error": _("The file is larger than 20 MB.")}
            return render(request, "portal/verify.html", context, status=413)
        request.upload_handlers.insert(0, _LimitedUpload(request))
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
