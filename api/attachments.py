"""Attachment endpoints: files attached to a dossier through the gate (uploads.gate).

POST a multipart `file` (and `document`, the position of the required document it answers)
to attach; GET the list, or one attachment's bytes. Only who may see the dossier may do
either. A refusal is problem+json: 413 for a file or request too large (refused before the
body is read when the request declares it), 503 when the virus scanner is unreachable, 422
for the rest; the list is then unchanged.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from api.dossiers import _fetch, _problem
from api.problems import Problem
from dossiers import actions
from dossiers.models import Attachment, AttachmentPurpose, Dossier
from uploads.gate import Refused, too_large
from uploads.limits import truncated
from uploads.serve import stored_response

router = Router(tags=["dossiers"])

TITLES = {
    "empty": gettext_lazy("Empty file"),
    "too_large": gettext_lazy("File too large"),
    "type": gettext_lazy("File type not accepted"),
    "infected": gettext_lazy("Malware found"),
    "scanner_unavailable": gettext_lazy("Virus scanner unavailable"),
}


class AttachmentOut(Schema):
    id: int
    sha256: str
    size: int
    content_type: str
    document: int | None
    purpose: str
    original_name: str
    added_at: datetime


def _out(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "sha256": a.sha256,
        "size": a.file.size,
        "content_type": a.file.content_type,
        "document": a.document,
        "purpose": a.purpose,
        "original_name": a.file.original_name,
        "added_at": a.added_at,
    }


def refused_problem(exc: Refused) -> Problem:
    """The problem+json of a gate refusal (its `code` included for machines)."""
    return Problem(
        exc.status,
        f"upload-{exc.code.replace('_', '-')}",
        str(TITLES.get(exc.code, gettext_lazy("File refused"))),
        exc.message,
        code=exc.code,
    )


@router.post(
    "/{code}/attachments",
    response={201: AttachmentOut, 200: AttachmentOut, 413: None, 503: None},
    operation_id="api_dossiers_attach",
)
def attach(
    request: HttpRequest,
    code: str,
    file: UploadedFile | None = File(None),  # noqa: B008 - ninja's parameter markers
    document: int | None = Form(None),
) -> tuple[int, dict[str, Any]]:
    """Attach a file (PDF, JPEG or PNG by default) to a dossier, after a virus scan.

    201 with the attachment; 200 with the existing one when the same content is already
    attached for the same document.
    """
    dossier = _fetch(request, code)
    if truncated(request):
        limit = min(settings.UPLOAD_MAX_FILE_BYTES, settings.UPLOAD_MAX_DOSSIER_BYTES)
        raise refused_problem(too_large(limit))
    if file is None:
        raise refused_problem(Refused("missing", _("Choose a file to attach.")))
    try:
        attachment, created = actions.attach_upload(
            dossier,
            file,
            document=document,
            purpose=AttachmentPurpose.INTAKE,
            by=request.auth,  # type: ignore[attr-defined]
            at=timezone.now(),
        )
    except Refused as exc:
        raise refused_problem(exc) from None
    except actions.ActionError as exc:
        raise _problem(exc) from None
    return (201 if created else 200), _out(attachment)


@router.get(
    "/{code}/attachments", response=list[AttachmentOut], operation_id="api_dossiers_attachments"
)
def list_attachments(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """List the files attached to a dossier, oldest first."""
    dossier = _fetch(request, code)
    return [_out(a) for a in _attachments(dossier)]


def _attachments(dossier: Dossier) -> Any:
    return Attachment.objects.filter(dossier=dossier).select_related("file").order_by("id")


@router.get(
    "/{code}/attachments/{attachment_id}",
    response={200: None},
    operation_id="api_dossiers_attachment_file",
)
def download(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    """The bytes of one attachment (for whoever may see the dossier)."""
    dossier = _fetch(request, code)
    attachment = _attachments(dossier).filter(pk=attachment_id).first()
    if attachment is None:
        raise Problem(
            404,
            "attachment-not-found",
            _("Attachment not found"),
            _("Dossier %(code)s has no attachment %(id)s.") % {"code": code, "id": attachment_id},
        )
    return stored_response(attachment.file, f"{dossier.code}-{attachment.pk}", inline=False)
