"""The dossier list as an XLSX workbook, bounded, written row by row, and logged (ADR 20).

ID numbers and phones are masked as on the desk's pages (`masked_fields`); each download
writes a `ListExport` row (who, when, the filter, how many rows) before the file leaves.
"""

import tempfile
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from audit.access import ip_or_none, masked_fields
from audit.models import ListExport, PersonalField
from dossiers.models import Dossier
from dossiers.search import DossierFilter, filtered, newest_first
from lib.cells import xlsx_row

if TYPE_CHECKING:
    from accounts.models import User

DATE_TIME = "dd/mm/yyyy hh:mm"
# One width per column of `headers()`, in characters.
WIDTHS = [6, 22, 10, 40, 26, 16, 14, 14, 24, 16, 16, 16, 16, 16, 18]


class ExportTooLarge(Exception):
    """More rows than LIST_EXPORT_MAX_ROWS: the message asks for a narrower filter."""

    def __init__(self, count: int, limit: int) -> None:
        self.message = _(
            "The list has %(count)s dossiers; an export holds at most %(limit)s. "
            "Narrow the filter (a shorter period, one status or one procedure)."
        ) % {"count": f"{count:,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")}
        super().__init__(self.message)


def headers() -> list[str]:
    return [
        _("No."),
        _("Dossier code"),
        _("Procedure code"),
        _("Procedure"),
        _("Applicant"),
        _("ID number"),
        _("Phone"),
        _("Channel"),
        _("Receiving unit"),
        _("Date submitted"),
        _("Date received"),
        _("Appointment date"),
        _("Date finished"),
        _("Date returned"),
        _("Status"),
    ]


def _local(at: datetime | None) -> datetime | None:
    # Excel has no time zones: the instant as the desk reads it, Asia/Ho_Chi_Minh.
    return timezone.localtime(at).replace(tzinfo=None) if at else None


def _dated(ws: Worksheet, at: datetime | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=_local(at))
    cell.number_format = DATE_TIME
    return cell


def _row(ws: Worksheet, n: int, d: Dossier) -> list[Any]:
    personal = dict(masked_fields(d))
    cells = xlsx_row(
        ws,
        [
            n,
            d.code,
            d.procedure_version.procedure.code,
            d.procedure_version.procedure.name,
            d.applicant_name,
            personal[PersonalField.ID_NUMBER],
            personal[PersonalField.PHONE],
            str(d.get_channel_display()),
            d.receiving_unit.name,
        ],
    )
    at = [d.submitted_at, d.received_at, d.due_at, d.finished_at, d.returned_at]
    return [*cells, *(_dated(ws, a) for a in at), *xlsx_row(ws, [str(d.get_status_display())])]


def dossier_list_xlsx(
    user: "User",
    f: DossierFilter,
    *,
    at: datetime,
    client_address: str | None,
    channel: str,
) -> tuple[IO[bytes], int]:
    """Write the dossiers `user` may see under `f`, newest first, to a temporary file.

    Return the file (at its start; the caller closes it) and the row count. Raise
    ExportTooLarge above LIST_EXPORT_MAX_ROWS. Memory stays flat: rows are read in chunks and
    written by openpyxl's write-only sheet; the log row is written before the file is returned.
    """
    qs = filtered(user, f)
    limit = settings.LIST_EXPORT_MAX_ROWS
    count = qs.count()
    if count > limit:
        raise ExportTooLarge(count, limit)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Dossiers")[:31])
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    title = WriteOnlyCell(ws, value=_("List of dossiers"))
    title.font = Font(bold=True, size=13)
    ws.append([title])
    ws.append(xlsx_row(ws, [_exported_line(user, at, f)]))
    bold = Font(bold=True)
    header = xlsx_row(ws, headers())
    for cell in header:
        cell.font = bold
    ws.append(header)
    rows = newest_first(qs).select_related("procedure_version__procedure", "receiving_unit")
    written = 0
    for written, d in enumerate(rows.iterator(chunk_size=1000), start=1):
        ws.append(_row(ws, written, d))
    # Closed by the caller (FileResponse closes it once sent): not a context manager here.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    wb.save(out)
    out.seek(0)
    ListExport.objects.create(
        user=user,
        at=at,
        what="dossiers",
        filters=f.as_dict(),
        rows=written,
        client_address=ip_or_none(client_address),
        channel=channel,
    )
    return out, written


def _exported_line(user: "User", at: datetime, f: DossierFilter) -> str:
    line = _("Exported at %(at)s by %(user)s") % {
        "at": timezone.localtime(at).strftime("%d/%m/%Y %H:%M"),
        "user": user.get_full_name(),
    }
    if f.start or f.end:
        line += " · " + _("period %(start)s – %(end)s") % {
            "start": f.start.strftime("%d/%m/%Y") if f.start else "…",
            "end": f.end.strftime("%d/%m/%Y") if f.end else "…",
        }
    return line
