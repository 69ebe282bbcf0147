"""Blank demo forms (tờ khai) for the demo catalogue, so the public procedure pages have a
template to download. Each is a one-page A4 PDF naming the form; a province uploads its real
forms in the admin (RequiredDocument.template_file)."""

import io
from textwrap import wrap

from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from catalog.models import RequiredDocument, VersionStatus
from documents.pdfkit import register_fonts


def demo_form_pdf(procedure: str, title: str) -> bytes:
    """A blank A4 form titled `title`, with lines to fill in."""
    register_fonts()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    pdf.setTitle(title)
    pdf.setFont("LiberationSerif-Bold", 12)
    pdf.drawCentredString(width / 2, height - 20 * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.drawCentredString(width / 2, height - 26 * mm, "Độc lập - Tự do - Hạnh phúc")
    y = height - 42 * mm
    for line in wrap(title.upper(), 60):
        pdf.drawCentredString(width / 2, y, line)
        y -= 7 * mm
    pdf.setFont("LiberationSerif", 10)
    pdf.drawCentredString(width / 2, y, f"(Mẫu minh họa — thủ tục {procedure})")
    y -= 14 * mm
    pdf.setFont("LiberationSerif", 12)
    for label in (
        "Họ, chữ đệm, tên người yêu cầu",
        "Số định danh cá nhân",
        "Nơi cư trú",
        "Số điện thoại",
        "Nội dung đề nghị",
    ):
        pdf.drawString(20 * mm, y, f"{label}: " + "." * 70)
        y -= 10 * mm
    pdf.drawString(120 * mm, y - 10 * mm, "NGƯỜI YÊU CẦU")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def attach_demo_forms() -> int:
    """Give every named form of a published version a demo PDF; return how many were made."""
    made = 0
    docs = (
        RequiredDocument.objects.filter(version__status=VersionStatus.PUBLISHED, template_file="")
        .exclude(template="")
        .select_related("version__procedure")
    )
    for doc in docs:
        code = doc.version.procedure.code
        name = f"{code}-{doc.version.number}-{doc.position}.pdf"
        doc.template_file.save(name, ContentFile(demo_form_pdf(code, doc.template)), save=True)
        made += 1
    return made
