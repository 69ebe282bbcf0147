"""The document wallet: the files a citizen already has on file (attachments of their own
dossiers, results included), reusable in a new filing by reference, never copied."""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dossiers.access import citizen_dossiers, version_documents
from dossiers.models import Attachment, AttachmentPurpose
from uploads.models import StoredFile

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class WalletItem:
    file: StoredFile
    dossier_code: str
    document: str
    purpose: str


def wallet(user: "User") -> list[WalletItem]:
    """The citizen's files on file, newest first, each file once (with where it was filed)."""
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
                file=a.file,
                dossier_code=a.dossier.code,
                document=names.get(a.document, "") if a.document is not None else "",
                purpose=str(AttachmentPurpose(a.purpose).label),
            )
        )
    return items


def wallet_file(user: "User", file_id: uuid.UUID) -> StoredFile | None:
    """The stored file `file_id` if it is in the citizen's wallet, else None."""
    mine = Attachment.objects.filter(dossier__in=citizen_dossiers(user).values("pk"))
    return StoredFile.objects.filter(pk__in=mine.filter(file_id=file_id).values("file_id")).first()
