"""The document wallet: the files a citizen already has on file (attachments of their own
dossiers, results included, and the signed electronic results they received), reusable in a
new filing by reference to the same stored file, never copied."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile

from documents.models import Form, IssuedDocument
from dossiers import actions
from dossiers.access import citizen_dossiers, version_documents
from dossiers.models import Attachment, AttachmentPurpose
from uploads.gate import admit, discard
from uploads.models import StoredFile

if TYPE_CHECKING:
    from accounts.models import User

# A signed result not yet kept as a stored file is offered as "ket-qua:<issued document id>".
RESULT_KEY = "ket-qua:"


@dataclass
class WalletItem:
    key: str  # what the filing form posts to pick it
    name: str
    size: int
    dossier_code: str
    document: str
    purpose: str


def _attachments(user: "User") -> "list[WalletItem]":
    rows = (
        Attachment.objects.filter(dossier__in=citizen_dossiers(user).values("pk"))
        .select_related("file", "dossier")
        .order_by("-added_at", "-id")
    )
    seen: set[str] = set()
    items = []
    for a in rows:
        if str(a.file_id) in seen:
            continue
        seen.add(str(a.file_id))
        names = {d.position: d.name for d in version_documents(a.dossier.procedure_version_id)}
        items.append(
            WalletItem(
                key=str(a.file_id),
                name=a.file.original_name,
                size=a.file.size,
                dossier_code=a.dossier.code,
                document=names.get(a.document, "") if a.document is not None else "",
                purpose=str(AttachmentPurpose(a.purpose).label),
            )
        )
    return items


def _results(user: "User") -> "list[WalletItem]":
    mine = citizen_dossiers(user).values("pk")
    kept = Attachment.objects.filter(dossier__in=mine).values("sha256")
    issued = (
        IssuedDocument.objects.filter(dossier__in=mine, form=Form.RESULT)
        .exclude(sha256__in=kept)
        .select_related("dossier")
        .only("pk", "size", "dossier__code", "dossier__procedure_version_id")
        .order_by("-created_at")
    )
    return [
        WalletItem(
            key=f"{RESULT_KEY}{doc.pk}",
            name=f"{doc.dossier.code}-ket-qua.pdf",
            size=doc.size,
            dossier_code=doc.dossier.code,
            document="",
            purpose=str(AttachmentPurpose.RESULT.label),
        )
        for doc in issued
    ]


def wallet(user: "User") -> list[WalletItem]:
    """The citizen's documents on file, newest first, each file once."""
    return _results(user) + _attachments(user)


def wallet_file(user: "User", key: str, *, at: datetime) -> StoredFile | None:
    """The stored file the wallet's `key` names, if it is the citizen's; else None.

    A signed result picked for the first time is kept as a stored file (through the gate) and
    attached to its own dossier as the result, so that the next filing finds it as any other.
    """
    if key.startswith(RESULT_KEY):
        raw = key.removeprefix(RESULT_KEY)
        return _result_file(user, int(raw), at=at) if raw.isdigit() and len(raw) < 19 else None
    try:
        file_id = uuid.UUID(key)
    except ValueError:
        return None
    mine = Attachment.objects.filter(dossier__in=citizen_dossiers(user).values("pk"))
    return StoredFile.objects.filter(pk__in=mine.filter(file_id=file_id).values("file_id")).first()


def _result_file(user: "User", issued_id: int, *, at: datetime) -> StoredFile | None:
    mine = citizen_dossiers(user).values("pk")
    issued = (
        IssuedDocument.objects.filter(pk=issued_id, form=Form.RESULT, dossier__in=mine)
        .select_related("dossier__procedure_version__procedure")
        .first()
    )
    if issued is None:
        return None
    dossier = issued.dossier
    same = Attachment.objects.filter(dossier=dossier, sha256=issued.sha256).first()
    if same is not None:
        return same.file
    upload = ContentFile(bytes(issued.content), name=f"{dossier.code}-ket-qua.pdf")
    stored = admit(upload, by=user, at=at)
    try:
        attachment, created = actions.attach_file(
            dossier, stored, purpose=AttachmentPurpose.RESULT, by=user, at=at
        )
    except BaseException:
        discard(stored)
        raise
    if not created:
        discard(stored)
    return attachment.file
