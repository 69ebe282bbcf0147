"""Attachments for tests that count them: a `StoredFile` row made directly (no bytes stored,
no clamd), attached through the real action. Tests that read the bytes use the gate."""

import hashlib
import uuid
from datetime import datetime

from dossiers import actions
from dossiers.models import Attachment, AttachmentPurpose, Dossier
from uploads.models import StoredFile


def on_file(
    dossier: Dossier,
    document: int | None,
    at: datetime,
    *,
    purpose: str = AttachmentPurpose.INTAKE,
) -> Attachment:
    """Attach a (pretend, already admitted) PDF to the dossier for a required document."""
    token = uuid.uuid4().hex
    stored = StoredFile.objects.create(
        name=f"uploads/test/{token}.pdf",
        sha256=hashlib.sha256(token.encode()).hexdigest(),
        size=1024,
        content_type="application/pdf",
        original_name="scan.pdf",
        created_at=at,
        scan_result="OK",
        scanned_at=at,
    )
    attachment, _created = actions.attach_file(
        dossier, stored, document=document, purpose=purpose, at=at
    )
    return attachment
