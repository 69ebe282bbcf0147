"""Scans the desk attaches: at intake (one file input per required document, plus "other")
and on the dossier page; each file through the gate (uploads.gate), served back inline."""

from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.models import User
from documents import digitization
from dossiers import actions
from dossiers.access import get_dossier_for_user, version_documents
from dossiers.models import Attachment, AttachmentPurpose, Dossier
from uploads.gate import Refused, admit, discard
from uploads.limits import truncated
from uploads.models import StoredFile
from uploads.serve import stored_response

OTHER = "other"


def field_name(position: int | None) -> str:
    """The intake form's file input for a required document (None: any other paper)."""
    return f"scan-{OTHER if position is None else position}"


def admit_scans(
    request: HttpRequest, positions: list[int], by: User
) -> list[tuple[int | None, StoredFile]]:
    """Admit every file chosen on the intake form, or none: raise `Refused` for the first
    refused file, after discarding those admitted before it."""
    if truncated(request):
        raise Refused("too_large", _("The files are larger than allowed."))
    left = settings.UPLOAD_MAX_DOSSIER_BYTES
    admitted: list[tuple[int | None, StoredFile]] = []
    try:
        for position in [*positions, None]:
            for upload in request.FILES.getlist(field_name(position)):
                stored = admit(upload, by=by, max_bytes=left)
                left -= stored.size
                admitted.append((position, stored))
    except BaseException:
        for _position, stored in admitted:
            discard(stored)
        raise
    return admitted


def attach_scans(dossier: Dossier, admitted: list[tuple[int | None, StoredFile]], by: User) -> None:
    """Attach the admitted scans to the dossier just filed (duplicates kept once)."""
    at = timezone.now()
    for position, stored in admitted:
        _attachment, created = actions.attach_file(
            dossier, stored, document=position, purpose=AttachmentPurpose.INTAKE, by=by, at=at
        )
        if not created:
            discard(stored)


def document_choices(dossier: Dossier) -> list[tuple[int, str]]:
    """The required documents of the dossier's procedure version: (position, name)."""
    return [(d.position, d.name) for d in version_documents(dossier.procedure_version_id)]


def attachments_of(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier page's list: each attachment with its document's name."""
    names = dict(document_choices(dossier))
    rows = Attachment.objects.filter(dossier=dossier).select_related("file").order_by("id")
    return [
        {
            "a": a,
            "file": a.file,
            "document": names.get(a.document, "") if a.document is not None else "",
            "image": a.file.content_type.startswith("image/"),
            "pdf": a.file.content_type == "application/pdf",
        }
        for a in rows
    ]


def files_context(dossier: Dossier) -> dict[str, Any]:
    """The dossier page's files: the list, the attach form's choices and the digitisation
    line ("1/1 required documents on file", documents.digitization)."""
    return {
        "attachments": attachments_of(dossier),
        "document_choices": document_choices(dossier),
        "digitization": digitization.of_dossier(dossier),
    }


@login_required
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    """Attach one scan from the dossier page (a required document's position, or other)."""
    user = request.user
    assert isinstance(user, User)
    dossier = get_dossier_for_user(user, code)
    if dossier is None:
        raise Http404(_("No dossier %(code)s within your units.") % {"code": code})
    raw = request.POST.get("document", "")
    document = int(raw) if raw.isdigit() else None
    upload = request.FILES.get("file")
    try:
        if truncated(request):
            raise Refused("too_large", _("The file is larger than allowed."))
        if upload is None:
            raise Refused("missing", _("Choose a file to attach."))
        _attachment, created = actions.attach_upload(
            dossier, upload, document=document, by=user, at=timezone.now()
        )
    except Refused as exc:
        messages.error(request, exc.message)
    except actions.ActionError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(request, _("The file was scanned and attached."))
        else:
            messages.info(request, _("This file was already attached."))
    return redirect("backoffice:dossier", code=code)


@login_required
@xframe_options_sameorigin
@csp_replace({"object-src": ["'self'"], "frame-ancestors": ["'self'"]})  # type: ignore[arg-type]
def attachment_file(request: HttpRequest, code: str, attachment_id: int) -> HttpResponseBase:
    """One attachment's bytes, inline (the browser shows the PDF or image), for who may see
    the dossier; under a generated name, never sniffed."""
    user = request.user
    assert isinstance(user, User)
    dossier = get_dossier_for_user(user, code)
    attachment = (
        Attachment.objects.filter(dossier=dossier, pk=attachment_id).select_related("file").first()
        if dossier is not None
        else None
    )
    if dossier is None or attachment is None:
        raise Http404(_("No such attachment."))
    return stored_response(attachment.file, f"{dossier.code}-{attachment.pk}", inline=True)
