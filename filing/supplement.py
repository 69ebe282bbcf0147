"""A supplement request answered online: the applicant uploads the missing documents."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dossiers import actions
from dossiers.actions.attachments import check_document, room_left
from dossiers.models import AttachmentPurpose, Dossier
from uploads.gate import admit, discard
from uploads.models import StoredFile

if TYPE_CHECKING:
    from accounts.models import User


def supplement_by_upload(
    dossier: Dossier, uploads: list[tuple[int | None, Any]], *, by: "User", at: datetime
) -> Dossier:
    """Admit every upload through the gate, then in one transaction attach them (purpose
    supplement) and apply the `supplement` verb as the applicant; return the dossier.

    Raises `uploads.gate.Refused` or an `ActionError` (who may, the status, the dossier's size
    allowance); nothing is kept then: files admitted before the refusal are discarded.
    """
    if not uploads:
        raise actions.InvalidInput(_("Choose at least one file to send."), field="file")
    for position, _upload in uploads:
        check_document(dossier, position)
    left = room_left(dossier)
    admitted: list[tuple[int | None, StoredFile]] = []
    try:
        for position, upload in uploads:
            if left <= 0:
                raise actions.InvalidInput(
                    _("The dossier already holds the %(mb)s MB of files allowed.")
                    % {"mb": f"{settings.UPLOAD_MAX_DOSSIER_BYTES / (1024 * 1024):g}"},
                    field="file",
                )
            stored = admit(upload, by=by, max_bytes=left, at=at)
            left -= stored.size
            admitted.append((position, stored))
        with transaction.atomic():
            for position, stored in admitted:
                actions.attach_file(
                    dossier,
                    stored,
                    document=position,
                    purpose=AttachmentPurpose.SUPPLEMENT,
                    by=by,
                    at=at,
                )
            dossier.refresh_from_db()
            return actions.supplement(dossier, actor=by, at=at)
    except BaseException:
        for _position, stored in admitted:
            discard(stored)
        raise
