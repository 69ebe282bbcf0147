"""Render the official papers as PDF (WeasyPrint) and keep each one once, by content hash."""

import base64
import hashlib
import io
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from catalog.models import DocumentForm
from documents.models import Form, IssuedDocument
from dossiers.models import Channel, Dossier
from orgs.models import ONE_STOP_DESK

RESULT_PLACE = {
    Channel.DESK: "Bộ phận Một cửa nơi nộp hồ sơ",
    Channel.POST: "Địa chỉ người nộp, qua dịch vụ bưu chính công ích",
    Channel.ONLINE: "Trực tuyến, trên Cổng dịch vụ công",
}


def public_status_url(dossier: Dossier) -> str:
    """The address the QR code opens: the dossier's public status page, PIN included."""
    path = reverse("portal:status", args=[dossier.code])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}?pin={dossier.public_secret}"


def qr_data_uri(text: str) -> str:
    """Return a PNG QR code of `text` as a data: URI (no file, no network)."""
    import qrcode

    image = qrcode.make(text, box_size=6, border=2)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def render_receipt(dossier: Dossier) -> bytes:
    """Render form 01, the receipt and appointment slip, as an A5 PDF."""
    from weasyprint import HTML

    desk = dossier.receiving_unit.agencies.filter(kind__code=ONE_STOP_DESK).first()
    url = public_status_url(dossier)
    received = dossier.events.filter(verb__in=["receive", "accept"]).select_related("actor").first()
    version = dossier.procedure_version
    fee = version.fee_vnd + version.charge_vnd
    forms = dict(DocumentForm.choices)
    html = render_to_string(
        "documents/form01.html",
        {
            "d": dossier,
            "desk": desk,
            "url": url,
            "qr": qr_data_uri(url),
            "number": settings.FORM_NUMBERS[Form.RECEIPT],
            "documents": [
                {**doc, "form_label": forms.get(doc.get("form", ""), doc.get("form", ""))}
                for doc in dossier.documents
            ],
            "officer": received.actor.get_full_name() if received and received.actor else "",
            "entry": dossier.code.rsplit("-", 1)[-1],
            "fee": f"{fee:,} đồng".replace(",", ".") if fee else "Không thu phí, lệ phí",
            "result_place": RESULT_PLACE[Channel(dossier.channel)],
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


RENDERERS = {Form.RECEIPT: render_receipt}


def issue(dossier: Dossier, form: Form, *, at: datetime) -> IssuedDocument:
    """Return the paper for this dossier and form, rendering and storing it the first time."""
    found = IssuedDocument.objects.filter(dossier=dossier, form=form).first()
    if found is not None:
        return found
    content = RENDERERS[form](dossier)
    try:
        with transaction.atomic():
            return IssuedDocument.objects.create(
                dossier=dossier,
                form=form,
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                size=len(content),
                created_at=at,
            )
    except IntegrityError:
        # Two clerks printed at once: both get the first stored file.
        return IssuedDocument.objects.get(dossier=dossier, form=form)
