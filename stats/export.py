"""The periodic report as an XLSX workbook: real cells, the form's columns, the same numbers."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lib.cells import xlsx_row
from stats.pdf import report_pdf
from stats.report import COLUMN_GROUPS, COLUMN_LABELS, Column, Report, Row


def report_xlsx(report: Report) -> bytes:
    """Write the report with a title, a two-level header, one row per group and the total.

    Every text cell is a string (`lib.cells`): a unit, field or procedure name starting with
    "=" stays text.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Report")[:31]
    title = _("Report on dossier results") + f" — {report.unit.name}"
    period = f"{report.period.start:%d/%m/%Y} – {report.period.end:%d/%m/%Y}"
    ws.append(xlsx_row(ws, [title]))
    ws.append(xlsx_row(ws, [period]))
    ws["A1"].font = Font(bold=True, size=13)
    columns = list(Column)
    header_groups = [""] + [str(COLUMN_GROUPS[c]) for c in columns] + ["", "", "", ""]
    header = [_("Row")] + [str(COLUMN_LABELS[c]) for c in columns]
    header += [_("On-time rate") + " (%)", _("Indicator 2.1") + " (%)"]
    header += [_("Digitised rate") + " (%)", _("Results on file rate") + " (%)"]
    ws.append(xlsx_row(ws, header_groups))
    ws.append(xlsx_row(ws, header))
    for cell in (*ws[3], *ws[4]):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    def write(row: Row, bold: bool = False) -> None:
        values: list[object] = [row.label] + [row.counts[c] for c in columns]
        rates = (row.on_time_rate, row.indicator_2_1, row.digitised_rate, row.result_on_file_rate)
        values += [float(rate) if rate is not None else None for rate in rates]
        ws.append(xlsx_row(ws, values))
        if bold:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)

    for row in report.rows:
        write(row)
    write(report.total, bold=True)
    ws.column_dimensions["A"].width = 36
    for i in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 13
    ws.freeze_panes = "B5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


DOWNLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def report_download(report: Report, fmt: str) -> HttpResponse:
    """Answer with the report as an attachment, XLSX or PDF (the same columns and rows)."""
    content = report_pdf(report) if fmt == "pdf" else report_xlsx(report)
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    name = f"bao-cao-{report.unit.code}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
