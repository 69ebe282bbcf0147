"""Form 07, the tracking book (sổ theo dõi hồ sơ), for any unit and period, as PDF and XLSX.

The book can run to a hundred thousand rows, so the PDF is drawn straight onto a ReportLab
canvas, row after row, as the rows stream from the database: each cell's text is broken into
lines that fit its column (long words too), a row that does not fit on the page goes to the
next one under the repeated column headers, and each finished page is compressed at once, so
memory does not grow with the rows held in flight. "Trang x/y" refers to a form drawn once at
the end, when the page count is known. See docs/adr/0005-tracking-book-renderer.md, bench P5.
"""

import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream
from reportlab.pdfgen import canvas as pdf_canvas

from documents.pdfkit import FontsMissing, register_fonts
from documents.wording import MOTTO, MOTTO_SUB, committee, place_name, vn_date
from dossiers.access import workflow_steps
from dossiers.models import Channel, Dossier, DossierEvent, DossierStep, Status
from lib.cells import xlsx_cell
from orgs.models import ONE_STOP_DESK, Agency, Unit

LEADERSHIP = "leadership"


@dataclass(frozen=True)
class Column:
    """One column of the book: its heading, width on A4 landscape, and the row field it shows."""

    title: str
    width_mm: float
    field: str
    group: str = ""  # a heading spanning this column and its neighbours of the same group


_RECEIPT_GROUP = "Tiếp nhận và trả kết quả"
_DATES_GROUP = "Ngày, tháng, năm"

# Circular 03/2025/TT-VPCP, form 07, as a ministry reproduces the annex (DOMAIN.md §4). The
# widths add up to the 277 mm between the 10 mm side margins of an A4 landscape page.
LAYOUT_2025 = (
    Column("STT", 10, "entry"),
    Column("Mã hồ sơ", 33, "code"),
    Column("Tên thủ tục hành chính", 44, "procedure"),
    Column("Tên cá nhân, tổ chức", 27, "applicant"),
    Column("Địa chỉ, số điện thoại", 36, "address"),
    Column("Cơ quan chủ trì giải quyết", 28, "lead_agency"),
    Column("Nhận hồ sơ", 17, "received", _RECEIPT_GROUP),
    Column("Hẹn trả kết quả", 17, "due", _RECEIPT_GROUP),
    Column("Trả kết quả", 17, "returned", _RECEIPT_GROUP),
    Column("Hình thức trả kết quả", 17, "how", _RECEIPT_GROUP),
    Column("Ký nhận", 13, "signature"),
    Column("Ghi chú", 18, "note"),
)

# Circular 01/2018/TT-VPCP, form 06: the number of sets and the transfers to and from the
# competent agency, as the book had them before 2025 (FORM_NUMBERING=2018).
LAYOUT_2018 = (
    Column("STT", 9, "entry"),
    Column("Mã hồ sơ", 30, "code"),
    Column("Tên thủ tục hành chính", 38, "procedure"),
    Column("Số lượng hồ sơ (bộ)", 10, "sets"),
    Column("Tên cá nhân, tổ chức", 24, "applicant"),
    Column("Địa chỉ, số điện thoại", 32, "address"),
    Column("Cơ quan chủ trì giải quyết", 24, "lead_agency"),
    Column("Nhận hồ sơ", 16, "received", _DATES_GROUP),
    Column("Hẹn trả kết quả", 16, "due", _DATES_GROUP),
    Column("Chuyển hồ sơ đến cơ quan giải quyết", 16, "sent", _DATES_GROUP),
    Column("Nhận kết quả từ cơ quan giải quyết", 16, "back", _DATES_GROUP),
    Column("Trả kết quả cho cá nhân, tổ chức", 16, "returned", _DATES_GROUP),
    Column("Ký nhận", 12, "signature"),
    Column("Ghi chú", 18, "note"),
)


def layout() -> tuple[Column, ...]:
    """The book's columns for the numbering the province prints (settings.FORM_NUMBERING)."""
    return LAYOUT_2018 if settings.FORM_NUMBERING == "2018" else LAYOUT_2025


# Kept for callers that only need the headings (the bench's naive rendering).
HEADERS = [c.title for c in LAYOUT_2025]

Row = dict[str, str]


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


@dataclass(frozen=True)
class BookHeader:
    """What the book's first page says above the table."""

    issuer_parent: str  # "UBND PHƯỜNG AN BÌNH"
    issuer: str  # "BỘ PHẬN MỘT CỬA"
    place: str
    dated: date
    volume: str
    lines: tuple[str, ...] = field(default=())


def _fmt(value: datetime | None) -> str:
    # Day and time on two lines: fits a 16 mm column.
    return timezone.localtime(value).strftime("%d/%m/%Y\n%H:%M") if value else ""


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


CHUNK = 2000


def rows(q: BookQuery) -> Iterator[Row]:
    """Yield the book's rows in received order: one query per chunk, plus steps and returns."""
    qs = (
        book_dossiers(q)
        .select_related("procedure_version__procedure")
        .order_by("received_at", "pk")
    )
    chunk: list[Dossier] = []
    for d in qs.iterator(chunk_size=CHUNK):
        chunk.append(d)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk)
            chunk = []
    yield from _chunk_rows(chunk)


RETURN_HOW = {
    Channel.DESK: "Tại Bộ phận Một cửa",
    Channel.POST: "Qua dịch vụ bưu chính",
    Channel.ONLINE: "Trực tuyến",
}
_HOW_WORDS = {"desk": Channel.DESK, "post": Channel.POST, "online": Channel.ONLINE}

_lead_cache: dict[tuple[int, int], str] = {}


def _planned_lead(d: Dossier) -> str:
    """The agency that would lead the dossier by its workflow (when no step got there)."""
    key = (d.procedure_version_id, d.competent_unit_id)
    if key not in _lead_cache:
        kinds = [s.agency_kind.code for s in workflow_steps(d)]
        kind = next((k for k in kinds if k not in (ONE_STOP_DESK, LEADERSHIP)), None)
        kind = kind or next((k for k in kinds if k != ONE_STOP_DESK), None)
        agency = (
            Agency.objects.filter(unit_id=d.competent_unit_id, kind__code=kind, is_active=True)
            .values_list("name", flat=True)
            .first()
            if kind
            else None
        )
        _lead_cache[key] = agency or ""
    return _lead_cache[key]


def _chunk_rows(chunk: list[Dossier]) -> Iterator[Row]:
    if not chunk:
        return
    # The steps after the desk's: the first one's start is the transfer to the competent
    # agency; the first that is neither the desk's nor the leadership's names the lead agency.
    transferred: dict[int, datetime] = {}
    lead: dict[int, str] = {}
    for dossier_id, started, name, kind in (
        DossierStep.objects.filter(dossier__in=chunk, position__gt=1)
        .order_by("dossier_id", "position", "id")
        .values_list("dossier_id", "started_at", "agency__name", "agency__kind__code")
    ):
        transferred.setdefault(dossier_id, started)
        if kind not in (ONE_STOP_DESK, LEADERSHIP):
            lead.setdefault(dossier_id, name)
    how: dict[int, str] = {}
    for dossier_id, payload in DossierEvent.objects.filter(
        dossier__in=chunk, verb="return"
    ).values_list("dossier_id", "payload"):
        method = (payload or {}).get("method") or (payload or {}).get("how")
        if method in _HOW_WORDS:
            how[dossier_id] = RETURN_HOW[_HOW_WORDS[method]]
    for d in chunk:
        sent = transferred.get(d.pk)
        # A dossier stopped or refused at the desk never went anywhere: no transfer dates.
        back = d.finished_at if sent is not None and d.status != Status.STOPPED else None
        notes = []
        if d.status in (Status.STOPPED, Status.REFUSED):
            notes.append(d.get_status_display())
        if d.channel == Channel.ONLINE:
            notes.append("Trực tuyến")
        returned = d.returned_at
        yield {
            "entry": str(d.book_entry) if d.book_entry else "",
            "code": d.code,
            "procedure": d.procedure_version.procedure.name,
            "sets": str(d.sets_count),
            "applicant": d.applicant_name,
            "address": ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
            "lead_agency": lead.get(d.pk) or _planned_lead(d),
            "received": _fmt(d.received_at),
            "due": _fmt(d.due_at),
            "sent": _fmt(sent),
            "back": _fmt(back),
            "returned": _fmt(returned),
            "how": (how.get(d.pk) or RETURN_HOW[Channel(d.channel)]) if returned else "",
            "signature": "",
            "note": "; ".join(notes),
        }


def volumes(q: BookQuery) -> str:
    """The volume(s) the period's entries belong to: a volume per receiving unit and year."""
    found: list[int] = sorted(
        v
        for v in book_dossiers(q).order_by().values_list("book_volume", flat=True).distinct()
        if v is not None
    )
    if not found:
        found = sorted({q.start.year, q.end.year})
    return ", ".join(str(v) for v in found)


def header_for(q: BookQuery, dated: date) -> BookHeader:
    """The first page's header: the unit's committee and desk, the motto, place and date."""
    desk = (
        Agency.objects.filter(unit=q.unit, kind__code=ONE_STOP_DESK, is_active=True)
        .values_list("name", flat=True)
        .first()
    )
    channel = " (chỉ hồ sơ nộp trực tuyến)" if q.online_only else ""
    return BookHeader(
        issuer_parent=committee(q.unit),
        issuer=(desk or "Bộ phận Một cửa").upper(),
        place=place_name(q.unit),
        dated=dated,
        volume=volumes(q),
        lines=(
            f"{q.unit.name}{channel}",
            f"Từ ngày {q.start:%d/%m/%Y} đến ngày {q.end:%d/%m/%Y}",
        ),
    )


# Called with ("rows", rows drawn or written so far), then ("pages", 1000) once the file is
# assembled. The caller decides how often to report.
Progress = Callable[[str, int], None]


def book_pdf(q: BookQuery, progress: Progress | None = None) -> bytes:
    """Draw the tracking book of a unit and period (see `render_pdf`)."""
    # The place-and-date line says when the book was printed.
    return render_pdf(rows(q), header_for(q, timezone.localdate()), progress=progress)


# --- Drawing ---------------------------------------------------------------------------------

PAGE = landscape(A4)
MARGIN_X = 10 * mm
MARGIN_TOP = 10 * mm
MARGIN_BOTTOM = 14 * mm
FOOTER_Y = 9.5 * mm
FONT = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
ITALIC = "LiberationSerif-Italic"
SIZE = 7.5
LEADING = 8.8
PAD_X = 1.6
PAD_Y = 2.2
HEAD_SIZE = 7.5
BREAK_AFTER = "-/,.;:)"
# What a PDF literal string cannot hold as is.
_ESCAPES = {92: "\\\\", 40: "\\(", 41: "\\)", 13: "\\r", 10: "\\n"}


class _Wrapper:
    """Break text into lines no wider than a column, long words included, with a cache."""

    def __init__(self, font: str, size: float) -> None:
        self.face = pdfmetrics.getFont(font)
        self.size = size
        self.widths: dict[str, float] = {}
        self.space = self.width(" ")
        self.cache: dict[tuple[str, float], list[str]] = {}

    def width(self, text: str) -> float:
        found = self.widths.get(text)
        if found is None:
            if len(self.widths) > 20_000:
                self.widths.clear()
            found = self.widths[text] = float(self.face.stringWidth(text, self.size))
        return found

    def lines(self, text: str, width: float) -> list[str]:
        if not text:
            return []
        key = (text, width)
        found = self.cache.get(key)
        if found is not None:
            return found
        out: list[str] = []
        for para in text.split("\n"):
            line, line_w = "", 0.0
            for word in para.split():
                w = self.width(word)
                if line and line_w + self.space + w <= width:
                    line, line_w = f"{line} {word}", line_w + self.space + w
                    continue
                if line:
                    out.append(line)
                while w > width:
                    cut = self._cut(word, width)
                    out.append(word[:cut])
                    word = word[cut:]
                    w = self.width(word)
                line, line_w = word, w
            if line:
                out.append(line)
        if len(self.cache) > 20_000:
            self.cache.clear()
        self.cache[key] = out
        return out

    def _cut(self, word: str, width: float) -> int:
        """How many characters of a word too long for its column go on this line."""
        fit = 1
        for i in range(1, len(word) + 1):
            if self.width(word[:i]) > width:
                break
            fit = i
        # Prefer breaking after a hyphen, slash or comma inside the fitting part.
        for j in range(fit, max(fit // 2, 1) - 1, -1):
            if word[j - 1] in BREAK_AFTER:
                return j
        return fit


def _compressing_canvas() -> type:
    """A canvas that compresses each page's content as soon as the page is finished.

    ReportLab keeps every page's operators as text until `save()`; a 100,000-row book holds
    hundreds of megabytes of them. Compressed at once, they take a fraction of that.
    """

    class CompressingCanvas(pdf_canvas.Canvas):
        def showPage(self) -> None:  # ReportLab's name
            super().showPage()
            page = self._doc.Pages.pages[-1]
            stream = page.stream
            if isinstance(stream, str):
                stream = stream.encode("latin-1")
            content = PDFStream(
                PDFDictionary({"Filter": PDFName("FlateDecode")}), zlib.compress(stream, 6)
            )
            page.Contents = content
            page.stream = None

    return CompressingCanvas


class _BookDrawer:
    def __init__(self, columns: tuple[Column, ...], header: BookHeader) -> None:
        self.columns = columns
        self.header = header
        self.widths = [c.width_mm * mm for c in columns]
        self.xs = [MARGIN_X]
        for w in self.widths:
            self.xs.append(self.xs[-1] + w)
        self.text = _Wrapper(FONT, SIZE)
        self.bold = _Wrapper(BOLD, HEAD_SIZE)
        self.out = io.BytesIO()
        self.c = _compressing_canvas()(self.out, pagesize=PAGE, pageCompression=1, invariant=0)
        self.c.setTitle("Sổ theo dõi hồ sơ")
        self.c.setAuthor(header.issuer_parent)
        self.pages = 0
        self._head_cells = self._header_cells()
        self.ops: list[str] = []
        self.face = pdfmetrics.getFont(FONT)
        self.line_ops: dict[str, str] = {}
        self.hlines: list[tuple[float, float, float, float]] = []
        self.y = 0.0
        self.table_top = 0.0

    # Column headings: a group heading spans its columns above their own headings.
    def _header_cells(self) -> tuple[list[tuple[float, float, int, list[str]]], float]:
        cells: list[tuple[float, float, int, list[str]]] = []  # x0, x1, level, lines
        i = 0
        n = len(self.columns)
        grouped = any(c.group for c in self.columns)
        while i < n:
            col = self.columns[i]
            if col.group:
                j = i
                while j < n and self.columns[j].group == col.group:
                    j += 1
                x0, x1 = self.xs[i], self.xs[j]
                cells.append((x0, x1, 1, self.bold.lines(col.group, x1 - x0 - 2 * PAD_X)))
                for k in range(i, j):
                    w = self.widths[k] - 2 * PAD_X
                    cells.append(
                        (self.xs[k], self.xs[k + 1], 2, self.bold.lines(self.columns[k].title, w))
                    )
                i = j
            else:
                w = self.widths[i] - 2 * PAD_X
                level = 0 if grouped else 2
                cells.append((self.xs[i], self.xs[i + 1], level, self.bold.lines(col.title, w)))
                i += 1
        top_lines = max((len(ls) for _a, _b, lv, ls in cells if lv == 1), default=0)
        low_lines = max((len(ls) for _a, _b, lv, ls in cells if lv == 2), default=0)
        self.group_h = top_lines * LEADING + 2 * PAD_Y if grouped else 0.0
        self.low_h = low_lines * LEADING + 2 * PAD_Y
        whole = max((len(ls) for _a, _b, lv, ls in cells if lv == 0), default=0)
        self.low_h = max(self.low_h, whole * LEADING + 2 * PAD_Y - self.group_h)
        return cells, self.group_h + self.low_h

    def _first_page_header(self) -> float:
        """Draw the issuer, motto, place and date, title, volume and period; return the y below."""
        c, h = self.c, self.header
        width = PAGE[0]
        top = PAGE[1] - MARGIN_TOP
        left_mid = MARGIN_X + 50 * mm
        right_mid = width - MARGIN_X - 62 * mm
        c.setFont(FONT, 10.5)
        c.drawCentredString(left_mid, top - 10, h.issuer_parent)
        c.setFont(BOLD, 10.5)
        c.drawCentredString(left_mid, top - 23, h.issuer)
        c.setLineWidth(0.5)
        half = min(self.bold.width(h.issuer) * 10.5 / HEAD_SIZE, 60 * mm) / 4
        c.line(left_mid - half, top - 26, left_mid + half, top - 26)
        c.setFont(BOLD, 10.5)
        c.drawCentredString(right_mid, top - 10, MOTTO)
        c.setFont(BOLD, 11.5)
        c.drawCentredString(right_mid, top - 23, MOTTO_SUB)
        sub_w = pdfmetrics.stringWidth(MOTTO_SUB, BOLD, 11.5)
        c.line(right_mid - sub_w / 2, top - 26, right_mid + sub_w / 2, top - 26)
        c.setFont(ITALIC, 10.5)
        c.drawCentredString(right_mid, top - 40, f"{h.place}, {vn_date(h.dated)}")
        c.setFont(BOLD, 14)
        c.drawCentredString(width / 2, top - 62, "SỔ THEO DÕI HỒ SƠ")
        c.setFont(FONT, 10.5)
        y = top - 77
        c.drawCentredString(width / 2, y, f"Quyển số: {h.volume}")
        for line in h.lines:
            y -= 13
            c.drawCentredString(width / 2, y, line)
        return y - 8

    def _start_page(self) -> None:
        self.pages += 1
        y = self._first_page_header() if self.pages == 1 else PAGE[1] - MARGIN_TOP
        self.table_top = y
        self._draw_headings(y)
        self.y = y - self._head_cells[1]
        self.ops = ["BT"]
        self.hlines = []

    def _draw_headings(self, top: float) -> None:
        c = self.c
        cells, height = self._head_cells
        c.setFillGray(0.92)
        c.rect(self.xs[0], top - height, self.xs[-1] - self.xs[0], height, stroke=0, fill=1)
        c.setFillGray(0)
        c.setFont(BOLD, HEAD_SIZE)
        lines: list[tuple[float, float, float, float]] = [
            (self.xs[0], top, self.xs[-1], top),
            (self.xs[0], top - height, self.xs[-1], top - height),
        ]
        for x0, x1, level, text in cells:
            if level == 1:
                y0, y1 = top, top - self.group_h
                lines.append((x0, y1, x1, y1))
            elif level == 2:
                y0, y1 = top - self.group_h, top - height
            else:
                y0, y1 = top, top - height
            # Centre the heading vertically and horizontally in its box.
            block = len(text) * LEADING
            y = y0 - ((y0 - y1) - block) / 2 - SIZE
            for line in text:
                c.drawCentredString((x0 + x1) / 2, y, line)
                y -= LEADING
        c.setLineWidth(0.4)
        c.lines(lines)

    def _inside_group(self, i: int) -> bool:
        """Whether the line left of column i runs under a group heading (not through it)."""
        cols = self.columns
        return 0 < i < len(cols) and bool(cols[i].group) and cols[i].group == cols[i - 1].group

    def _finish_page(self) -> None:
        c = self.c
        self.ops.append("ET")
        c._code.extend(self.ops)
        self.ops = []
        c.setLineWidth(0.4)
        bottom = self.y
        verticals = [
            (x, self.table_top - (self.group_h if self._inside_group(i) else 0), x, bottom)
            for i, x in enumerate(self.xs)
        ]
        c.lines(verticals + self.hlines)
        c.setFont(FONT, 8)
        c.drawString(MARGIN_X, FOOTER_Y, f"Mẫu số {settings.FORM_NUMBERS['07']}")
        label = f"Trang {self.pages}/"
        x = PAGE[0] - MARGIN_X - 22 * mm
        c.drawString(x, FOOTER_Y, label)
        c.saveState()
        c.translate(x + pdfmetrics.stringWidth(label, FONT, 8), FOOTER_Y)
        c.doForm("pagecount")
        c.restoreState()
        c.showPage()

    def row(self, cells: list[list[str]]) -> None:
        """Draw one row; a row taller than what is left of the page continues on the next."""
        height = max((len(ls) for ls in cells), default=0) * LEADING + 2 * PAD_Y
        height = max(height, LEADING + 2 * PAD_Y)
        bottom = MARGIN_BOTTOM
        if self.y - height < bottom:
            first_page_room = self.y - bottom
            full_room = PAGE[1] - MARGIN_TOP - self._head_cells[1] - bottom
            if height <= full_room or first_page_room < LEADING * 3 + 2 * PAD_Y:
                self._finish_page()
                self._start_page()
        while True:
            room = int((self.y - bottom - 2 * PAD_Y) // LEADING)
            need = max((len(ls) for ls in cells), default=0)
            take = min(room, need)
            part = [ls[:take] for ls in cells]
            self._draw_row(part, max(take, 1) * LEADING + 2 * PAD_Y)
            cells = [ls[take:] for ls in cells]
            if not any(cells):
                return
            self._finish_page()
            self._start_page()

    def _text(self, line: str) -> str:
        """PDF operators that show one line in the current font (the TrueType subsets, the
        string escaped), kept per line: names, procedures and dates repeat down the book.

        Written here rather than through ReportLab's text object, which formats every number
        and escapes every string in Python and took most of the time at 100,000 rows.
        """
        found = self.line_ops.get(line)
        if found is None:
            doc = self.c._doc
            found = " ".join(
                f"{self.face.getSubsetInternalName(subset, doc)} {SIZE} Tf "
                f"({chunk.decode('latin-1').translate(_ESCAPES)}) Tj"
                for subset, chunk in self.face.splitString(line, doc)
            )
            if len(self.line_ops) > 20_000:
                self.line_ops.clear()
            self.line_ops[line] = found
        return found

    def _draw_row(self, cells: list[list[str]], height: float) -> None:
        ops = self.ops
        top = self.y
        for i, lines in enumerate(cells):
            y = top - PAD_Y - SIZE
            x = self.xs[i] + PAD_X
            for line in lines:
                ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm {self._text(line)}")
                y -= LEADING
        self.y = top - height
        self.hlines.append((self.xs[0], self.y, self.xs[-1], self.y))

    def finish(self) -> bytes:
        if self.ops:
            self._finish_page()
        c = self.c
        c.beginForm("pagecount")
        c.setFont(FONT, 8)
        c.drawString(0, 0, str(self.pages))
        c.endForm()
        c.save()
        return self.out.getvalue()


def render_pdf(
    book_rows: Iterable[Row],
    header: BookHeader,
    *,
    columns: tuple[Column, ...] | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Draw book rows on A4 landscape: header, repeated column headings, "Trang x/y"."""
    try:
        register_fonts()
    except FontsMissing as exc:
        raise BookError(str(exc)) from exc
    cols = columns or layout()
    drawer = _BookDrawer(cols, header)
    wrap = drawer.text.lines
    inner = [w - 2 * PAD_X for w in drawer.widths]
    fields = [c.field for c in cols]
    drawer._start_page()
    for n, row in enumerate(book_rows, start=1):
        drawer.row([wrap(row.get(f, ""), inner[i]) for i, f in enumerate(fields)])
        if progress is not None:
            progress("rows", n)
    pdf = drawer.finish()
    if progress is not None:
        progress("pages", 1000)
    return pdf


# --- XLSX ------------------------------------------------------------------------------------

_XLSX_WIDTH_PER_MM = 0.5  # column width units (characters) per millimetre, roughly


def book_xlsx(q: BookQuery, progress: Progress | None = None) -> bytes:
    """Write the tracking book as real cells, same columns (write-only mode: flat memory).

    Set up to print like the PDF: A4 landscape, fit to one page wide, the column headings
    repeated on every page, text wrapped in its cell. Every text cell is written as a string
    (`lib.cells`): an applicant's name or an imported code that starts with "=" stays text.
    """
    cols = layout()
    header = header_for(q, timezone.localdate())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("So theo doi ho so")
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.right.text = "Trang &P/&N"
    ws.oddFooter.left.text = f"Mẫu số {settings.FORM_NUMBERS['07']}"
    for i, col in enumerate(cols, start=1):
        letter = _letter(i)
        ws.column_dimensions[letter].width = max(6.0, col.width_mm * _XLSX_WIDTH_PER_MM * 1.6)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def line(values: list[Any], font: Font | None = None, align: Alignment = wrapped) -> None:
        cells = []
        for v in values:
            cell = xlsx_cell(ws, v)
            cell.alignment = align
            if font is not None:
                cell.font = font
            cells.append(cell)
        ws.append(cells)

    line([header.issuer_parent, *[""] * 5, MOTTO], None, Alignment())
    line([header.issuer, *[""] * 5, MOTTO_SUB], bold, Alignment())
    line([*[""] * 6, f"{header.place}, {vn_date(header.dated)}"], None, Alignment())
    line(["SỔ THEO DÕI HỒ SƠ"], bold, Alignment())
    line([f"Quyển số: {header.volume}"], None, Alignment())
    for text in header.lines:
        line([text], None, Alignment())
    head_row = 4 + len(header.lines) + 1
    groups = [c.group for c in cols]
    if any(groups):
        # A group's heading over its first column, the columns' own headings below it.
        firsts = [c.group and (i == 0 or cols[i - 1].group != c.group) for i, c in enumerate(cols)]
        line(
            [
                c.group if first else "" if c.group else c.title
                for c, first in zip(cols, firsts, strict=True)
            ],
            bold,
            centred,
        )
        line([c.title if c.group else "" for c in cols], bold, centred)
        ws.print_title_rows = f"{head_row + 1}:{head_row + 2}"
    else:
        line([c.title for c in cols], bold, centred)
        ws.print_title_rows = f"{head_row + 1}:{head_row + 1}"
    for n, row in enumerate(rows(q), start=1):
        values: list[Any] = []
        for col in cols:
            value: Any = row.get(col.field, "")
            if col.field in ("entry", "sets") and value.isdigit():
                value = int(value)
            elif isinstance(value, str):
                value = value.replace("\n", " ")
            values.append(value)
        line(values)
        if progress is not None:
            progress("rows", n)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _letter(i: int) -> str:
    return get_column_letter(i)


def unit_for(code: str) -> Unit:
    """Resolve a unit code for a book, or raise BookError."""
    unit = Unit.objects.filter(Q(code=code), Q(valid_until__isnull=True)).first()
    if unit is None:
        raise BookError(_("There is no administrative unit with code %(code)s.") % {"code": code})
    return unit
