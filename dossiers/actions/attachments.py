"""Files attached to a dossier: `attach_file` (one admitted file) and `attach_upload` (through
the gate first). The interface the desk, the API and the citizen portal share.

`attach_file(dossier, stored, document=, purpose=, by=, at=)` checks that `document` is a
position of the dossier's procedure version (or None: another paper), that the dossier stays
within UPLOAD_MAX_DOSSIER_BYTES, and, in one transaction under the dossier's lock, writes the
`Attachment` row and an `attach` event in the dossier's keyed chain (its payload names the
file's SHA-256, so the audit trail covers what was attached). The same content attached again
for the same document returns the existing attachment (`created` False): one attachment.
Attaching does not change the dossier's status or version; it may turn on its digitisation
flags (dossiers.digitization), with the report's counters, in the same transaction.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dossiers.access import version_documents
from dossiers.actions.chain import _append_event
from dossiers.actions.engine import perform
from dossiers.actions.errors import InvalidInput, InvalidTransition
from dossiers.digitization import after_attach
from dossiers.models import TERMINAL_STATUSES, Attachment, AttachmentPurpose, Dossier
from dossiers.workflow import Verb
from uploads.gate import admit, discard
from uploads.models import StoredFile

if TYPE_CHECKING:
    from accounts.models import User


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def attached_bytes(dossier: Dossier) -> int:
    """The total size of the files attached to the dossier."""
    total = Attachment.objects.filter(dossier=dossier).aggregate(n=Sum("file__size"))["n"]
    return int(total or 0)


def room_left(dossier: Dossier) -> int:
    """How many more bytes the dossier may hold (UPLOAD_MAX_DOSSIER_BYTES in all)."""
    return max(settings.UPLOAD_MAX_DOSSIER_BYTES - attached_bytes(dossier), 0)


def _full(dossier: Dossier) -> InvalidInput:
    return InvalidInput(
        _("Dossier %(code)s already holds the %(mb)s MB of files allowed.")
        % {"code": dossier.code, "mb": _mb(settings.UPLOAD_MAX_DOSSIER_BYTES)},
        field="file",
    )


def check_document(dossier: Dossier, document: int | None) -> None:
    """Refuse a `document` that is not a position of the dossier's procedure version."""
    if document is None:
        return
    positions = {d.position for d in version_documents(dossier.procedure_version_id)}
    if document not in positions:
        raise InvalidInput(
            _("Procedure %(code)s has no required document number %(n)s.")
            % {"code": dossier.procedure_version.procedure.code, "n": document},
            field="document",
        )


def _check_purpose(dossier: Dossier, purpose: str) -> None:
    if purpose not in AttachmentPurpose.values:
        raise InvalidInput(_("Unknown purpose %(p)r.") % {"p": purpose}, field="purpose")
    if dossier.status in TERMINAL_STATUSES and purpose != AttachmentPurpose.RESULT:
        raise InvalidTransition(
            _("Dossier %(code)s is closed; only its result can still be attached.")
            % {"code": dossier.code}
        )


def attach_file(
    dossier: Dossier,
    stored: StoredFile,
    *,
    document: int | None = None,
    purpose: str = AttachmentPurpose.INTAKE,
    by: "User | None" = None,
    at: datetime,
) -> tuple[Attachment, bool]:
    """Attach an admitted file to the dossier; return (attachment, created).

    Raises an `ActionError` (nothing written) for an unknown document position or purpose, a
    closed dossier, or a dossier that would pass UPLOAD_MAX_DOSSIER_BYTES.
    """
    check_document(dossier, document)
    _check_purpose(dossier, purpose)
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
            same = Attachment.objects.filter(
                dossier=locked, document=document, sha256=stored.sha256
            ).first()
            if same is not None:
                return same, False
            if attached_bytes(locked) + stored.size > settings.UPLOAD_MAX_DOSSIER_BYTES:
                raise _full(locked)
            attachment = Attachment.objects.create(
                dossier=locked,
                file=stored,
                sha256=stored.sha256,
                document=document,
                purpose=purpose,
                added_by=by,
                added_at=at,
            )
            _append_event(
                locked,
                verb=Verb.ATTACH,
                actor=by,
                from_status=locked.status,
                to_status=locked.status,
                at=at,
                payload=_payload(attachment, stored),
            )
            Dossier.objects.filter(pk=locked.pk).update(
                event_count=locked.event_count, last_event_hash=locked.last_event_hash
            )
            # Digitised? Result on file? The flags and the report's counters, same transaction.
            after_attach(locked, attachment)
    except IntegrityError:
        # Only the unique constraints can fail here, and only if the lock did not serialise
        # (it does on both engines): the other writer's row is the attachment.
        same = Attachment.objects.filter(
            dossier=dossier, document=document, sha256=stored.sha256
        ).first()
        if same is None:
            raise
        return same, False
    dossier.event_count = locked.event_count
    dossier.last_event_hash = locked.last_event_hash
    dossier.digitised, dossier.result_on_file = locked.digitised, locked.result_on_file
    return attachment, True


def _payload(attachment: Attachment, stored: StoredFile) -> dict[str, Any]:
    return {
        "attachment": attachment.pk,
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
        "document": attachment.document,
        "purpose": attachment.purpose,
        "name": stored.original_name,
    }


def attach_upload(
    dossier: Dossier,
    upload: Any,
    *,
    document: int | None = None,
    purpose: str = AttachmentPurpose.INTAKE,
    by: "User | None" = None,
    at: datetime,
) -> tuple[Attachment, bool]:
    """Admit an upload through the gate and attach it; return (attachment, created).

    Raises `uploads.gate.Refused` (the gate's refusals) or an `ActionError`; either way
    nothing is kept: a file admitted but not attached (refused, or the same content already
    attached) is discarded.
    """
    check_document(dossier, document)
    _check_purpose(dossier, purpose)
    left = room_left(dossier)
    if left <= 0:
        raise _full(dossier)
    stored = admit(upload, by=by, max_bytes=left, at=at)
    try:
        attachment, created = attach_file(
            dossier, stored, document=document, purpose=purpose, by=by, at=at
        )
    except BaseException:
        discard(stored)
        raise
    if not created:
        discard(stored)
    return attachment, created


def perform_with_files(
    verb: str,
    dossier: Dossier,
    files: "list[tuple[StoredFile, str]]",
    *,
    actor: "User",
    at: datetime,
    expected_version: int | None = None,
    **params: Any,
) -> Dossier:
    """Attach admitted files (each with its purpose) and perform `verb`, in one transaction:
    a specialist's draft goes with the forward that submits it, the signed result's scan with
    the clerk's numbering; a refused verb leaves no attachment. The caller admitted the files
    through the gate and discards them if this raises."""
    unused = []
    with transaction.atomic():
        for stored, purpose in files:
            _attachment, created = attach_file(dossier, stored, purpose=purpose, by=actor, at=at)
            if not created:
                unused.append(stored)
        done = perform(
            verb, dossier, actor=actor, at=at, expected_version=expected_version, **params
        )
    for stored in unused:  # the same content was attached already: one copy is kept
        discard(stored)
    return done
