"""Online filing: a citizen's draft kept between visits, its files, and the submission.

Files enter through the gate (`uploads.gate.admit`) before any row points at them; a refused
file leaves nothing behind. Submitting is one transaction under the draft's row lock:
`dossiers.actions.file_dossier` (channel online), the draft's files attached to the dossier
(purpose intake), the draft deleted; a second submit of the same draft finds none.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from catalog.models import ProcedureVersion
from catalog.public import filing_units
from dossiers import actions
from dossiers.access import version_documents
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import ApplicantKind, Attachment, AttachmentPurpose, Channel, Dossier
from filing.models import Draft, DraftFile
from filing.wallet import wallet_file
from uploads.gate import admit, discard
from uploads.models import StoredFile

if TYPE_CHECKING:
    from accounts.models import User

APPLICANT_FIELDS = ("name", "id_number", "address", "phone", "email")


class FilingError(Exception):
    """A filing step refused: `message` for people, `field` (a form field) when it has one."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def profile_applicant(user: "User") -> dict[str, str]:
    """The applicant fields prefilled from the citizen's account."""
    return {
        "name": user.full_name,
        "id_number": user.id_number,
        "address": "",
        "phone": user.phone,
        "email": user.email,
    }


def open_draft(owner: "User", version: ProcedureVersion, *, at: datetime) -> Draft:
    """The citizen's draft for the procedure, made (prefilled) the first time.

    A draft begun under a version since replaced follows the version in force; files for
    documents the new version no longer asks for are let go.
    """
    draft, created = Draft.objects.get_or_create(
        owner=owner,
        procedure_id=version.procedure_id,
        defaults={
            "version": version,
            "applicant": profile_applicant(owner),
            "created_at": at,
            "updated_at": at,
        },
    )
    if not created and draft.version_id != version.pk:
        positions = {d.position for d in version_documents(version.pk)}
        for f in list(draft.files.exclude(document__in=positions)):
            _release(f)
        draft.version = version
        draft.updated_at = at
        draft.save(update_fields=["version", "updated_at"])
    return draft


def applicant_of(draft: Draft) -> Applicant:
    """The draft's applicant as intake takes it (a person)."""
    values = {k: str(draft.applicant.get(k, "") or "") for k in APPLICANT_FIELDS}
    return Applicant(kind=ApplicantKind.PERSON, **values)


def save_applicant(draft: Draft, values: dict[str, str], unit_id: int, *, at: datetime) -> None:
    """Keep the applicant's fields and the receiving unit (already validated by the form)."""
    if unit_id not in {u.pk for u in filing_units(draft.version)}:
        raise FilingError(_("Choose a unit where this procedure can be filed."), "unit")
    draft.applicant = {k: values.get(k, "") for k in APPLICANT_FIELDS}
    draft.unit_id = unit_id
    draft.updated_at = at
    draft.save(update_fields=["applicant", "unit", "updated_at"])


def _check_position(draft: Draft, position: int) -> None:
    if position not in {d.position for d in version_documents(draft.version_id)}:
        raise FilingError(_("This procedure has no such document."), "document")


def _draft_bytes(draft: Draft, *, besides: int) -> int:
    total = draft.files.exclude(document=besides).aggregate(n=Sum("file__size"))["n"]
    return int(total or 0)


def room_left(draft: Draft, position: int) -> int:
    """How many bytes a file for `position` may have (the dossier's allowance, less the
    draft's other files)."""
    return max(settings.UPLOAD_MAX_DOSSIER_BYTES - _draft_bytes(draft, besides=position), 0)


def _release(draft_file: DraftFile) -> None:
    """Drop a draft's file; an uploaded file nobody else holds is deleted with it."""
    stored = draft_file.file
    draft_file.delete()
    if draft_file.reused:
        return
    held = (
        Attachment.objects.filter(file=stored).exists()
        or DraftFile.objects.filter(file=stored).exists()
    )
    if not held:
        discard(stored)


def _put(draft: Draft, position: int, stored: StoredFile, *, reused: bool, at: datetime) -> None:
    with transaction.atomic():
        old = DraftFile.objects.filter(draft=draft, document=position).first()
        if old is not None:
            _release(old)
        DraftFile.objects.create(
            draft=draft, document=position, file=stored, reused=reused, added_at=at
        )
        Draft.objects.filter(pk=draft.pk).update(updated_at=at)


def put_upload(draft: Draft, position: int, upload: Any, *, by: "User", at: datetime) -> None:
    """Admit an upload through the gate as the draft's file for `position` (replacing one
    chosen before). Raises `uploads.gate.Refused` or `FilingError`; nothing is kept then."""
    _check_position(draft, position)
    left = room_left(draft, position)
    if left <= 0:
        raise FilingError(
            _("The dossier already holds the %(mb)s MB of files allowed.")
            % {"mb": f"{settings.UPLOAD_MAX_DOSSIER_BYTES / (1024 * 1024):g}"},
            "file",
        )
    stored = admit(upload, by=by, max_bytes=left, at=at)
    try:
        _put(draft, position, stored, reused=False, at=at)
    except BaseException:
        discard(stored)
        raise


def put_from_wallet(draft: Draft, position: int, key: str, *, at: datetime) -> None:
    """Use a file from the owner's wallet for `position`: the same StoredFile, not a copy.
    Raises `FilingError`, or `uploads.gate.Refused` when a signed result cannot be kept."""
    _check_position(draft, position)
    stored = wallet_file(draft.owner, str(key)[:100], at=at)
    if stored is None:
        raise FilingError(_("This document is not among your documents on file."), "wallet")
    if stored.size > room_left(draft, position):
        raise FilingError(_("The files of this dossier would pass the size allowed."), "wallet")
    _put(draft, position, stored, reused=True, at=at)


def remove_file(draft: Draft, position: int) -> None:
    """Take the file chosen for `position` off the draft."""
    with transaction.atomic():
        for f in DraftFile.objects.filter(draft=draft, document=position):
            _release(f)


def delete_draft(draft: Draft) -> None:
    """Delete the draft and the files uploaded only for it."""
    with transaction.atomic():
        for f in list(draft.files.select_related("file")):
            _release(f)
        draft.delete()


def missing_documents(draft: Draft) -> list[str]:
    """The names of the required documents the draft has no file for."""
    have = set(draft.files.values_list("document", flat=True))
    return [
        d.name for d in version_documents(draft.version_id) if d.required and d.position not in have
    ]


def submit(draft_id: int, owner: "User", *, at: datetime) -> Dossier:
    """File the draft online in one transaction; return the new dossier.

    The draft's row is locked first, so a double submit (two tabs, a double click) files one
    dossier: the second finds no draft and is refused. A required document without a file,
    an applicant intake would refuse, or a unit where the procedure cannot be filed refuses
    the submission (an `ActionError` or `FilingError`); nothing is written then.
    """
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(of=("self",))
            .select_related("version__procedure", "unit")
            .filter(pk=draft_id, owner=owner)
            .first()
        )
        if draft is None:
            raise FilingError(_("This draft was already submitted or deleted."))
        if draft.unit is None or draft.unit_id not in {u.pk for u in filing_units(draft.version)}:
            raise FilingError(_("Choose a unit where this procedure can be filed."), "unit")
        missing = missing_documents(draft)
        if missing:
            raise FilingError(
                _("Upload the required documents first: %(names)s.")
                % {"names": "; ".join(missing)},
                "documents",
            )
        files = list(draft.files.select_related("file").order_by("document"))
        dossier = actions.file_dossier(
            actor=owner,
            version=draft.version,
            receiving_unit=draft.unit,
            channel=Channel.ONLINE,
            applicant=applicant_of(draft),
            documents=[ReceivedDocument(f.document) for f in files],
            at=at,
        )
        for f in files:
            actions.attach_file(
                dossier,
                f.file,
                document=f.document,
                purpose=AttachmentPurpose.INTAKE,
                by=owner,
                at=at,
            )
        draft.delete()
    return dossier
