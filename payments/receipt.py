"""The electronic receipt of fees and charges (biên lai thu phí, lệ phí) of one payment, as PDF
(ReportLab, the Liberation fonts of documents/pdfkit.py). Fields: docs/receipt.md."""

import io
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from documents.pdfkit import register_fonts
from documents.signing import Credential, SigningError, credential_for, sign_pdf
from lib.numwords import vnd_figures, vnd_words
from orgs.models import Unit
from payments.models import Payment, PaymentStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")
logger = logging.getLogger(__name__)


class NotReceiptable(ValueError):
    """Only a paid (or later refunded) payment has a receipt."""


def issued_receipt(payment: Payment, *, at: datetime | None = None) -> bytes:
    """The receipt as served: signed with the collecting unit's certificate (Decree 254/2026
    art. 23.2 asks for the collecting organisation's digital signature).

    Where the unit has no usable certificate the receipt is still served, for the payer has
    paid, but it says on its face that it carries no signature, and the log says why.
    """
    at = at or timezone.now()
    try:
        credential: Credential | None = credential_for(payment.unit, at=at)
    except (SigningError, OSError) as exc:
        logger.error(
            "fee receipt %s of %s served unsigned: %s",
            payment.receipt_number,
            payment.unit.code,
            getattr(exc, "message", exc),
        )
        credential = None
    content = receipt_pdf(payment, signer=credential.subject if credential else None)
    if credential is None:
        return content
    return sign_pdf(
        content, credential, reason="Biên lai thu phí, lệ phí", location=payment.unit.name
    )


def tax_code_of(unit: Unit) -> str:
    """The collecting organisation's tax code: the unit's own, else the deployment's."""
    return unit.tax_code or settings.RECEIPT_TAX_CODE


def receipt_pdf(payment: Payment, *, signer: str | None = None) -> bytes:
    """The receipt of a paid payment as PDF bytes; `signer` names the certificate that will
    sign it (None: the face says the copy is unsigned)."""
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED) or not payment.paid_at:
        raise NotReceiptable(_("Only a paid payment has a receipt."))
    register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A5)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Bien lai {payment.receipt_number}")
    x, y = 15 * mm, height - 15 * mm
    dossier = payment.dossier
    unit_name = payment.unit.name

    def line(text: str, *, bold: bool = False, size: float = 10, dy: float = 6 * mm) -> None:
        nonlocal y
        pdf.setFont("LiberationSerif-Bold" if bold else "LiberationSerif", size)
        pdf.drawString(x, y, text)
        y -= dy

    # The paper's text is the official Vietnamese form's, as on the tracking book.
    line(unit_name.upper(), bold=True)
    tax_code = tax_code_of(payment.unit)
    if tax_code:
        line(f"Mã số thuế: {tax_code}", size=9)
    pdf.setFont("LiberationSerif-Bold", 14)
    pdf.drawCentredString(width / 2, y, "BIÊN LAI THU PHÍ, LỆ PHÍ")
    y -= 6 * mm
    pdf.setFont("LiberationSerif", 10)
    pdf.drawCentredString(
        width / 2,
        y,
        f"Ký hiệu mẫu: {settings.RECEIPT_FORM_CODE}    Ký hiệu: {settings.RECEIPT_SERIES}"
        f"    Số: {payment.receipt_number}",
    )
    y -= 9 * mm
    line(f"Tên người nộp: {payment.payer_name}")
    if dossier is not None:
        line(f"Mã hồ sơ: {dossier.code}")
        line(f"Thủ tục: {dossier.procedure_version.procedure.name}"[:110])
    for item in payment.lines or []:
        kind = "Phí" if item.get("kind") == "fee" else "Lệ phí"
        amount = vnd_figures(int(item.get("amount_vnd", 0)))
        line(f"  - {kind}: {item.get('label', '')}: {amount} đồng")
    line(f"Số tiền: {vnd_figures(payment.amount_vnd)} đồng", bold=True)
    line(f"Bằng chữ: {vnd_words(payment.amount_vnd)}")
    method = {
        "online": "Thanh toán trực tuyến",
        "cash": "Tiền mặt",
        "transfer": "Chuyển khoản",
    }[payment.method]
    provider = f" ({payment.provider.upper()})" if payment.method == "online" else ""
    line(f"Hình thức thanh toán: {method}{provider}")
    line(
        f"Mã giao dịch: {payment.txn_ref}"
        + (f"    Mã tham chiếu: {payment.provider_ref}" if payment.provider_ref else "")
    )
    paid = payment.paid_at.astimezone(VN)
    line(f"Ngày thu: {paid:%d/%m/%Y %H:%M}")
    if payment.status == PaymentStatus.REFUNDED and payment.refunded_at:
        line(f"ĐÃ HOÀN TRẢ ngày {payment.refunded_at.astimezone(VN):%d/%m/%Y}", bold=True)
    pdf.setFont("LiberationSerif", 8)
    if signer:
        signature = f"Ký số bởi: {signer}"[:140]
    else:
        signature = "Bản chưa có chữ ký số của đơn vị thu: không có giá trị thay biên lai."
    pdf.drawString(x, 14 * mm, signature)
    pdf.drawString(
        x, 10 * mm, "Biên lai điện tử lập từ hệ thống một cửa; tra cứu theo mã giao dịch."
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
