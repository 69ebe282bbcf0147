"""The one scan the demo history attaches to many dossiers (dossiers.demo, ADR 16).

A year of history holds thousands of desk dossiers; storing and scanning a file for each would
make `seed_history` slow and the media directory large. The demo admits one small PDF through
the gate (nothing is ever stored unscanned) and refers to that one `StoredFile` from every
`Attachment` it makes: the rows, events and figures are those of real scans; the bytes repeat.
`seed_history` runs before the Procfile starts clamd, so when no clamd answers this starts the
local one (uploads.localclamd) for that one admit and stops it.
"""

import io
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import override_settings
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from documents.pdfkit import register_fonts
from uploads.gate import Refused, admit
from uploads.localclamd import free_port, start
from uploads.models import StoredFile

NAME = "ban-quet-minh-hoa.pdf"


def _pdf() -> bytes:
    """A one-page PDF that says it is a demo scan."""
    register_fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("LiberationSerif", 14)
    page.drawString(72, 770, "Bản quét minh họa (dữ liệu demo của motcua)")
    page.showPage()
    page.save()
    return out.getvalue()


def demo_scan() -> StoredFile:
    """Return the demo's scan, admitting it through the gate the first time."""
    existing = StoredFile.objects.filter(original_name=NAME).order_by("created_at").first()
    if existing is not None:
        return existing
    content = _pdf()
    try:
        return admit(ContentFile(content, name=NAME))
    except Refused as exc:
        if exc.code != "scanner_unavailable":
            raise
    with tempfile.TemporaryDirectory(prefix="motcua-clamd-") as directory:
        port = free_port()
        proc = start(Path(directory), port)
        try:
            # This process only, for this one call: the settings name the clamd to use.
            with override_settings(CLAMD_SOCKET="", CLAMD_HOST="127.0.0.1", CLAMD_PORT=port):
                return admit(ContentFile(content, name=NAME))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
