"""Write catalog records as JSON, CSV or XLSX, in the shape the reader accepts.

CSV and XLSX cells go through `lib.cells`, so a code or name starting with "=" never becomes a
formula in a spreadsheet.
"""

import csv
import io
import json
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from catalog.io.records import COLUMNS, FORMAT_NAME, ProcedureRecord
from catalog.models import StepUnit
from lib.cells import csv_row, xlsx_row


def _flat_row(rec: ProcedureRecord) -> list[str]:
    docs = "\n".join(
        " | ".join(
            [d.name, d.form, str(d.count), "true" if d.required else "false", d.template]
        ).rstrip(" |")
        for d in rec.documents
    )
    steps = "\n".join(
        f"{s.name} | {s.agency_kind} | {s.role} | {s.hours.normalize():f}"
        + ("" if s.unit == StepUnit.COMPETENT else f" | {s.unit}")
        for s in rec.steps
    )
    return [
        rec.code,
        rec.name,
        rec.field_code,
        rec.field_name,
        rec.level,
        rec.competent_agency_kind,
        str(rec.limit_amount),
        rec.limit_unit,
        str(rec.fee_vnd),
        str(rec.charge_vnd),
        rec.fee_note,
        rec.result,
        ",".join(rec.channels),
        rec.legal_basis,
        docs,
        steps,
    ]


def write_catalog(records: Iterable[ProcedureRecord], fmt: str) -> bytes:
    """Serialise records as json, csv or xlsx, in the same shape `read_catalog` accepts."""
    records = list(records)
    if fmt == "json":
        fields = {r.field_code: r.field_name for r in records}
        data = {
            "format": FORMAT_NAME,
            "version": 1,
            "fields": [{"code": c, "name": n} for c, n in sorted(fields.items())],
            "procedures": [
                {
                    "code": r.code,
                    "name": r.name,
                    "field": r.field_code,
                    "level": r.level,
                    "competent_agency_kind": r.competent_agency_kind,
                    "limit": {"amount": r.limit_amount, "unit": r.limit_unit},
                    "fee_vnd": r.fee_vnd,
                    "charge_vnd": r.charge_vnd,
                    "fee_note": r.fee_note,
                    "result": r.result,
                    "channels": r.channels,
                    "legal_basis": r.legal_basis,
                    "documents": [d.__dict__ for d in r.documents],
                    "steps": [{**s.__dict__, "hours": float(s.hours)} for s in r.steps],
                }
                for r in records
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(csv_row(COLUMNS))
        for rec in records:
            # A spreadsheet must not run a cell as a formula; the reader removes the quote.
            writer.writerow(csv_row(_flat_row(rec)))
        return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8
    if fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "procedures"
        ws.append(xlsx_row(ws, COLUMNS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for rec in records:
            ws.append(xlsx_row(ws, _flat_row(rec)))  # text cells, never formulas
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
