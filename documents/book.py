"""Form 07, the tracking book (sổ theo dõi hồ sơ), for any unit and period, as PDF and XLSX.

The book can run to tens of thousands of rows, so the PDF is drawn with ReportLab's platypus
(a table split across pages, header row repeated, "Trang x/y" in the footer) rather than laid
out as one HTML document: see docs/adr/0005-tracking-book-renderer.md and bench P5.
"""

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from documents.pdfkit import FontsMissing, numbered_canvas, register_fonts
from dossiers.models import Channel, Dossier, DossierStep, Status
from lib.cells import xlsx_row
from orgs.models import Unit

HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày, tháng, năm: Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả cho cá nhân, tổ chức",
    "Ký nhận",
    "Ghi chú",
]


class BookError(ValueError):
    """Raise for a book that cannot be made (bad period, unknown unit, fonts missing)."""


@dataclass(frozen=True)
class BookQuery:
    unit: Unit
    start: date
    end: date
    online_only: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BookError(_("The period ends before it starts."))


def _fmt(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def book_dossiers(q: BookQuery) -> QuerySet[Dossier]:
    """The dossiers the book lists: received by the unit (or below it) in the period."""
    tz = ZoneInfo(settings.TIME_ZONE)
    t0 = datetime.combine(q.start, time(0), tzinfo=tz)
    t1 = datetime.combine(q.end + timedelta(days=1), time(0), tzinfo=tz)
    qs = Dossier.objects.filter(
        receiving_unit__path__startswith=q.unit.path, received_at__gte=t0, received_at__lt=t1
    ).exclude(status=Status.CANCELLED)
    if q.online_only:
        qs = qs.filter(channel=Channel.ONLINE)
    return qs


def rows(q: BookQuery) -> Iterator[list[str]]:
    """Yield the book's rows, received order, one query plus one for the steps per chunk."""
    qs = (
        book_dossiers(q)
        .select_related("procedure_version__procedure", "competent_unit")
        .order_by("received_at", "pk")
    )
    n = 0
    chunk: list[Dossier] = []
    for d in qs.iterator(chunk_size=2000):
        chunk.append(d)
        if len(chunk) == 2000:
            yield from _chunk_rows(chunk, n)
            n += len(chunk)
            chunk = []
    yield from _chunk_rows(chunk, n)


def _chunk_rows(chunk: list[Dossier], offset: int) -> Iterator[list[str]]:
    if not chunk:
        return
    # The desk's first step ends when it hands the dossier to the competent agency.
    sent_at = dict(
        DossierStep.objects.filter(dossier__in=chunk, position=1)
        .order_by("dossier_id", "id")
        .values_list("dossier_id", "finished_at")
    )
    for i, d in enumerate(chunk, start=offset + 1):
        sent = sent_at.get(d.pk)
        back = d.finished_at if d.status != Status.STOPPED else None
        note = d.get_status_display() if d.status in (Status.STOPPED, Status.REFUSED) else ""
        if d.channel == Channel.ONLINE:
            note = (note + "; " if note else "") + "Trực tuyến"
        yield [
            str(i),
            d.code,
            d.procedure_version.procedure.name,
            str(d.sets_count),
            d.applicant_name,
            ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
            d.competent_unit.name,
            _fmt(d.received_at),
            _fmt(d.due_at),
            _fmt(sent),
            _fmt(back),
            _fmt(d.returned_at),
            "",
            note,
        ]


# Called with ("rows", rows read so far) after each row read, then ("pages", per mille of
# the drawing done) while ReportLab lays out the pages. The caller decides how often to report.
Progress = Callable[[str, int], None]


def book_pdf(q: BookQuery, progress: Progress | None = None) -> bytes:
    """Draw the tracking book of a unit and period (see `render_pdf`)."""
    channel = " (chỉ hồ sơ trực tuyến)" if q.online_only else ""
    period = f"Từ ngày {q.start:%d/%m/%Y} đến ngày {q.end:%d/%m/%Y}"
    return render_pdf(rows(q), f"{q.unit.name}{channel}", period, progress=progress)


def _counted(book_rows: Iterable[list[str]], progress: Progress | None) -> Iterator[list[str]]:
    for n, row in enumerate(book_rows, start=1):
        if progress is not None:
            progress("rows", n)
        yield row


def render_pdf(
    book_rows: Iterable[list[str]],
    heading: str,
    period: str,
    *,
    progress: Progress | None = None,
) -> bytes:
    """Draw book rows on A4 landscape with repeated headers and "Trang x/y" page numbers."""
    try:
        register_fonts()
    except FontsMissing as exc:
        raise BookError(str(exc)) from exc
    title = ParagraphStyle(
        "title", fontName="LiberationSerif-Bold", fontSize=13, alignment=1, leading=16
    )
    sub = ParagraphStyle("sub", fontName="LiberationSerif", fontSize=10, alignment=1, leading=13)

    def stacked(value: str) -> str:
        # "dd/mm/yyyy hh:mm" on two lines fits a narrow column without a Paragraph.
        return value.replace(" ", "\n", 1)

    # Paragraphs (wrapping) only where text is long; plain strings elsewhere are far cheaper.
    wrap = {2, 4, 5, 6}
    dates = {7, 8, 9, 10, 11}

    widths = [w * mm for w in (9, 40, 46, 12, 28, 34, 26, 16, 16, 16, 16, 16, 12, 16)]

    def wrapped(text: str, width: float) -> str:
        # Line-break long text ourselves: a Paragraph per cell costs several times more.
        return "\n".join(simpleSplit(text, "LiberationSerif", 7.5, width - 4))

    def convert(row: list[str]) -> list[Any]:
        return [
            wrapped(v, widths[i]) if i in wrap else stacked(v) if i in dates else v
            for i, v in enumerate(row)
        ]

    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONT", (0, 0), (-1, -1), "LiberationSerif", 7.5, 9),
            ("FONT", (0, 0), (-1, 0), "LiberationSerif-Bold", 7.5, 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ]
    )
    header = [
        "\n".join(simpleSplit(h, "LiberationSerif-Bold", 7.5, widths[i] - 4))
        for i, h in enumerate(HEADERS)
    ]
    # One table per slice of rows: splitting a huge table page by page costs far more.
    tables: list[Any] = []
    slice_rows: list[list[Any]] = []
    for row in _counted(book_rows, progress):
        slice_rows.append(convert(row))
        if len(slice_rows) == 50:
            tables.append(
                LongTable([header, *slice_rows], colWidths=widths, repeatRows=1, style=style)
            )
            slice_rows = []
    if slice_rows or not tables:
        tables.append(LongTable([header, *slice_rows], colWidths=widths, repeatRows=1, style=style))
    story = [
        Paragraph("SỔ THEO DÕI HỒ SƠ", title),
        Paragraph(heading, sub),
        Paragraph(period, sub),
        Spacer(1, 4 * mm),
        *tables,
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=8 * mm,
        rightMargin=8 * mm,
        topMargin=10 * mm,
        bottomMargin=12 * mm,
        title="Sổ theo dõi hồ sơ",
    )
    if progress is not None:
        size = max(len(story), 1)

        def on_progress(kind: str, value: int) -> None:
            if kind == "PROGRESS":
                progress("pages", min(1000, 1000 * value // size))

        doc.setProgressCallBack(on_progress)
    doc.build(
        story,
        canvasmaker=numbered_canvas(
            lambda page, total: f"Trang {page}/{total} — Mẫu số 07", width=landscape(A4)[0]
        ),
    )
    return out.getvalue()


def book_xlsx(q: BookQuery, progress: Progress | None = None) -> bytes:
    """Write the tracking book as real cells, same columns (write-only mode: flat memory).

    Every text cell is written as a string (`lib.cells`): an applicant's name or an imported
    code that starts with "=" stays text, never a formula.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("So theo doi ho so")
    ws.append(xlsx_row(ws, [f"SỔ THEO DÕI HỒ SƠ — {q.unit.name}"]))
    ws.append(xlsx_row(ws, [f"Từ ngày {q.start:%d/%m/%Y} đến ngày {q.end:%d/%m/%Y}"]))
    bold = Font(bold=True)
    header = []
    for h in HEADERS:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        header.append(c)
    ws.append(header)
    for row in _counted(rows(q), progress):
        values: list[Any] = [int(row[0]), *row[1:3], int(row[3]), *row[4:]]
        ws.append(xlsx_row(ws, values))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def unit_for(code: str) -> Unit:
    """Resolve a unit code for a book, or raise BookError."""
    unit = Unit.objects.filter(Q(code=code), Q(valid_until__isnull=True)).first()
    if unit is None:
        raise BookError(_("There is no administrative unit with code %(code)s.") % {"code": code})
    return unit
