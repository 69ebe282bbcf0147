"""Survey results per unit as an XLSX workbook (the same figures as the results page)."""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lib.cells import xlsx_row
from surveys.figures import Satisfaction
from surveys.models import THEME_ORDER

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]


def header() -> list[str]:
    """The columns: unit, responses, index, then each theme's share and average score."""
    columns = [_("Unit"), _("Responses"), _("Satisfaction index") + " (%)"]
    for theme in THEME_ORDER:
        columns += [
            f"{theme.label}: " + _("satisfied share") + " (%)",
            f"{theme.label}: " + _("average score"),
        ]
    return columns


def row_values(label: str, figures: Satisfaction) -> list[object]:
    values: list[object] = [label, figures.responses, _number(figures.index)]
    for theme in THEME_ORDER:
        tally = figures.themes[theme]
        values += [_number(tally.index), _number(tally.average_score)]
    return values


def results_xlsx(
    title: str, start: date, end: date, rows: list[tuple[str, Satisfaction]], total: Satisfaction
) -> bytes:
    """Write a title, the period, the formula, one row per unit and the total."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Survey results")[:31]
    ws.append(xlsx_row(ws, [title]))
    ws.append(xlsx_row(ws, [f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"]))
    ws.append(
        xlsx_row(
            ws,
            [
                _(
                    "Satisfaction index = satisfied rated answers / rated answers × 100; "
                    "average score on 0-100."
                )
            ],
        )
    )
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(xlsx_row(ws, header()))
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for label, figures in rows:
        ws.append(xlsx_row(ws, row_values(label, figures)))
    ws.append(xlsx_row(ws, row_values(_("Total"), total)))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 36
    for i in range(2, len(header()) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.freeze_panes = "B5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
