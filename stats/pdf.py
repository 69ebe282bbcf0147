"""The periodic report (form 06/VPCP/KSTT) as a PDF: the IOC page's columns and rows on A4.

Drawn with ReportLab like the tracking book (documents/book.py, whose Liberation Serif
registration it reuses for the Vietnamese diacritics): A4 landscape, the agency header and the
national motto, a two-level header repeated on every page, the total row, "page x/y".
"""

import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from documents.pdfkit import numbered_canvas, register_fonts
from stats.report import COLUMN_GROUPS, COLUMN_LABELS, FORM_COLUMNS, GroupBy, Report, Row

FONT = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
# The motto and the committee's title are fixed text of the official form, never translated.
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
COMMITTEE = "ỦY BAN NHÂN DÂN"
FORM_NUMBER = "06/VPCP/KSTT"
# Columns in mm: the row label, the form's eleven counts, the two rates (A4 landscape less
# margins). The form has no digitisation column: the page and the XLSX show them.
LABEL_MM = 62.0
COUNT_MM = 16.0
RATE_MM = 19.0


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else formats.number_format(value, 2) + "%"


def _cells(row: Row) -> list[str]:
    counts = [str(row.counts[c]) for c in FORM_COLUMNS]
    return [row.label, *counts, _rate(row.on_time_rate), _rate(row.indicator_2_1)]


def _header_rows(by: GroupBy) -> tuple[list[str], list[str]]:
    """Return the grouped header (Received / Resolved / In progress) and the column labels."""
    columns = list(FORM_COLUMNS)
    groups = [""] * len(columns)
    for i, column in enumerate(columns):
        if i == 0 or COLUMN_GROUPS[column] != COLUMN_GROUPS[columns[i - 1]]:
            groups[i] = str(COLUMN_GROUPS[column])
    rates = [_("On-time rate") + " (%)", _("Indicator 2.1") + " (%)"]
    top = [str(ROW_TITLES[by]), *groups, *rates]
    bottom = ["", *(str(COLUMN_LABELS[c]) for c in columns), "", ""]
    return top, bottom


def _group_spans() -> list[tuple[int, int]]:
    """Return the table columns (first, last) each header group spans."""
    columns = list(FORM_COLUMNS)
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(columns) + 1):
        if i == len(columns) or COLUMN_GROUPS[columns[i]] != COLUMN_GROUPS[columns[start]]:
            spans.append((start + 1, i))  # +1: the label column comes first
            start = i
    return spans


ROW_TITLES = {
    GroupBy.UNIT: gettext_lazy("Unit"),
    GroupBy.FIELD: gettext_lazy("Field"),
    GroupBy.PROCEDURE: gettext_lazy("Procedure"),
}


def report_pdf(report: Report) -> bytes:
    """Draw the report on A4 landscape: header, title, unit, period, the table, page x/y."""
    register_fonts()
    page_width = landscape(A4)[0]
    footer_text = _("Page %(page)s/%(pages)s")
    form_text = _("Form %(number)s") % {"number": FORM_NUMBER}

    def style(name: str, font: str = FONT, size: float = 10, align: int = 1) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=size * 1.25, alignment=align
        )

    center_bold = style("center_bold", BOLD, 10.5)
    center = style("center", FONT, 10.5)
    title = style("title", BOLD, 13)
    cell = style("cell", FONT, 8, align=0)
    head = style("head", BOLD, 8)

    unit = report.unit
    # The reporting body is the unit's People's Committee, whatever the unit's level.
    issuer = [Paragraph(f"{COMMITTEE}<br/>{escape(unit.name.upper())}", center_bold)]
    motto = [Paragraph(MOTTO[0], center_bold), Paragraph(f"<u>{MOTTO[1]}</u>", center_bold)]
    letterhead = Table(
        [[issuer, motto]],
        colWidths=[110 * mm, 150 * mm],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
    )

    top, bottom = _header_rows(report.by)
    widths = [LABEL_MM * mm] + [COUNT_MM * mm] * len(FORM_COLUMNS) + [RATE_MM * mm] * 2
    data: list[list[Any]] = [
        [Paragraph(escape(text), head) if text else "" for text in top],
        [Paragraph(escape(text), head) if text else "" for text in bottom],
    ]
    for row in report.rows:
        cells = _cells(row)
        data.append([Paragraph(escape(cells[0]), cell), *cells[1:]])
    total = _cells(report.total)
    data.append([Paragraph(f"<b>{escape(total[0])}</b>", cell), *total[1:]])
    last = len(data) - 1
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        ("VALIGN", (0, 2), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT, 8.5, 10.5),
        ("ALIGN", (1, 2), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#eeeeee")),
        ("FONT", (0, last), (-1, last), BOLD, 8.5, 10.5),
        ("BACKGROUND", (0, last), (-1, last), colors.HexColor("#f4f4f4")),
        # The label and the two rates take both header rows.
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (-2, 0), (-2, 1)),
        ("SPAN", (-1, 0), (-1, 1)),
    ]
    commands += [("SPAN", (first, 0), (end, 0)) for first, end in _group_spans()]
    table = LongTable(data, colWidths=widths, repeatRows=2, style=TableStyle(commands))

    period = _("From %(start)s to %(end)s") % {
        "start": f"{report.period.start:%d/%m/%Y}",
        "end": f"{report.period.end:%d/%m/%Y}",
    }
    rows_by = _("Rows by") + ": " + str(ROW_TITLES[report.by]).lower()
    story = [
        letterhead,
        Spacer(1, 5 * mm),
        Paragraph(_("Report on dossier results").upper(), title),
        Paragraph(escape(f"{unit.name} ({unit.code})"), center_bold),
        Paragraph(period, center),
        Paragraph(rows_by, style("rows_by", FONT, 9)),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 3 * mm),
        Paragraph(
            _(
                "On-time rate = (early + on time) / resolved, as reports quote it. Indicator 2.1 "
                "(Decision 766) = (resolved by the due instant + within time) / received."
            ),
            style("note", FONT, 8, align=0),
        ),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=9 * mm,
        rightMargin=9 * mm,
        topMargin=10 * mm,
        bottomMargin=12 * mm,
        title=_("Report on dossier results"),
        author=unit.name,
    )
    doc.build(
        story,
        canvasmaker=numbered_canvas(
            lambda page, pages: footer_text % {"page": page, "pages": pages} + f" — {form_text}",
            width=page_width,
        ),
    )
    return out.getvalue()
