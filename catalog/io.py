"""Read and write the procedure catalog as JSON, CSV or XLSX, validating every row first.

All three formats carry the same records. JSON nests documents and steps; CSV and XLSX hold
one row per procedure, with documents and steps one per line inside their cells:
``name | form | count | required | template`` and ``name | agency_kind | role | hours``.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from catalog.models import (
    PROCEDURE_CODE_RE,
    Channel,
    DocumentForm,
    Level,
    workflow_mismatch,
)
from orgs.models import Role
from workcal import LimitUnit

FORMAT_NAME = "motcua-catalog"
COLUMNS = [
    "code",
    "name",
    "field_code",
    "field_name",
    "level",
    "competent_agency_kind",
    "limit_amount",
    "limit_unit",
    "fee_vnd",
    "charge_vnd",
    "fee_note",
    "result",
    "channels",
    "legal_basis",
    "documents",
    "steps",
]
REQUIRED_COLUMNS = [c for c in COLUMNS if c not in {"fee_note", "legal_basis", "field_name"}]
STEP_ROLES = {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK}
MAX_LIMIT_DAYS = 365
MAX_LIMIT_HOURS = MAX_LIMIT_DAYS * 8


@dataclass
class DocumentRecord:
    name: str
    form: str
    count: int
    required: bool
    template: str


@dataclass
class StepRecord:
    name: str
    agency_kind: str
    role: str
    hours: Decimal


@dataclass
class ProcedureRecord:
    """One validated procedure as it will be written."""

    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    competent_agency_kind: str
    limit_amount: int
    limit_unit: str
    fee_vnd: int
    charge_vnd: int
    fee_note: str
    result: str
    channels: list[str]
    legal_basis: str
    documents: list[DocumentRecord]
    steps: list[StepRecord]


@dataclass
class ImportReport:
    """What a catalog file held: the good records and every problem, by row."""

    records: list[ProcedureRecord] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (where, message)

    @property
    def ok(self) -> bool:
        return not self.errors


class CatalogFormatError(ValueError):
    """Raise when a file cannot be read as a catalog at all."""


# --- reading ---------------------------------------------------------------------------------


def read_catalog(
    content: bytes,
    filename: str,
    *,
    known_agency_kinds: set[str],
    known_fields: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Parse and validate a catalog file; nothing is written here."""
    ext = filename.rsplit(".", 1)[-1].lower()
    if ext == "json":
        raw_rows, fields = _rows_from_json(content)
    elif ext == "csv":
        raw_rows, fields = _rows_from_csv(content), {}
    elif ext == "xlsx":
        raw_rows, fields = _rows_from_xlsx(content), {}
    else:
        raise CatalogFormatError(
            _("Unsupported file format .%(ext)s; use .json, .csv or .xlsx.") % {"ext": ext}
        )
    fields = {**(known_fields or {}), **fields}
    report = ImportReport()
    seen: dict[str, str] = {}
    total = len(raw_rows)
    for i, (where, row) in enumerate(raw_rows, start=1):
        errors: list[str] = []
        record = _validate_row(row, known_agency_kinds, fields, errors)
        if record is not None and record.code in seen:
            errors.append(
                _("Procedure code %(code)s duplicates %(other)s.")
                % {"code": record.code, "other": seen[record.code]}
            )
        if errors:
            report.errors.extend((where, message) for message in errors)
        elif record is not None:
            seen[record.code] = where
            report.records.append(record)
        if progress is not None:
            progress(i, total)
    if total == 0:
        report.errors.append((_("File"), _("The file contains no procedures.")))
    return report


def _rows_from_json(content: bytes) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, str]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogFormatError(_("Cannot read the JSON file: %(err)s") % {"err": exc}) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise CatalogFormatError(
            _('The JSON file must be an object with "format": "%(name)s".') % {"name": FORMAT_NAME}
        )
    fields = {
        str(f.get("code", "")): str(f.get("name", ""))
        for f in data.get("fields", [])
        if isinstance(f, dict)
    }
    rows: list[tuple[str, dict[str, Any]]] = []
    procedures = data.get("procedures")
    if not isinstance(procedures, list):
        raise CatalogFormatError(_('The JSON file has no "procedures" list.'))
    for i, proc in enumerate(procedures, start=1):
        where = _("Procedure #%(n)s") % {"n": i}
        if not isinstance(proc, dict):
            rows.append((where, {"__invalid__": True}))
            continue
        if proc.get("code"):
            where = f"{where} ({proc['code']})"
        limit = proc.get("limit") or {}
        row = {
            "code": proc.get("code"),
            "name": proc.get("name"),
            "field_code": proc.get("field"),
            "field_name": fields.get(str(proc.get("field")), ""),
            "level": proc.get("level"),
            "competent_agency_kind": proc.get("competent_agency_kind"),
            "limit_amount": limit.get("amount") if isinstance(limit, dict) else None,
            "limit_unit": limit.get("unit") if isinstance(limit, dict) else None,
            "fee_vnd": proc.get("fee_vnd", 0),
            "charge_vnd": proc.get("charge_vnd", 0),
            "fee_note": proc.get("fee_note", ""),
            "result": proc.get("result"),
            "channels": proc.get("channels"),
            "legal_basis": proc.get("legal_basis", ""),
            "documents": proc.get("documents"),
            "steps": proc.get("steps"),
        }
        rows.append((where, row))
    return rows, fields


def _check_header(header: list[str]) -> None:
    cleaned = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in cleaned]
    unknown = [h for h in cleaned if h and h not in COLUMNS]
    problems = []
    if missing:
        problems.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(_("invalid columns: %(cols)s") % {"cols": ", ".join(unknown)})
    if problems:
        raise CatalogFormatError(
            _("Wrong header row (%(problems)s). The valid columns are: %(cols)s.")
            % {"problems": "; ".join(problems), "cols": ", ".join(COLUMNS)}
        )


def _rows_from_csv(content: bytes) -> list[tuple[str, dict[str, Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogFormatError(_("The CSV file must be saved as UTF-8.")) from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise CatalogFormatError(_("The CSV file is empty."))
    _check_header(header)
    names = [h.strip() for h in header]
    rows = []
    for line_no, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((_("Row %(n)s") % {"n": line_no}, dict(zip(names, values, strict=False))))
    return rows


def _rows_from_xlsx(content: bytes) -> list[tuple[str, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise CatalogFormatError(_("Cannot read the XLSX file: %(err)s") % {"err": exc}) from exc
    ws = wb.active
    if ws is None:
        raise CatalogFormatError(_("The XLSX file has no worksheet."))
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if header is None:
        raise CatalogFormatError(_("The XLSX file is empty."))
    names = ["" if h is None else str(h).strip() for h in header]
    _check_header(names)
    rows = []
    for line_no, values in enumerate(it, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        cells = ["" if v is None else v for v in values]
        rows.append((_("Row %(n)s") % {"n": line_no}, dict(zip(names, cells, strict=False))))
    wb.close()
    return rows


# --- validation ------------------------------------------------------------------------------


def _text(row: dict[str, Any], key: str, errors: list[str], *, required: bool = True) -> str:
    value = row.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.append(_("Column %(col)s has no value.") % {"col": key})
    return text


def _int(row: dict[str, Any], key: str, errors: list[str], default: int | None = None) -> int:
    value = row.get(key)
    if value is None or str(value).strip() == "":
        if default is not None:
            return default
        errors.append(_("Column %(col)s has no value.") % {"col": key})
        return 0
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
        if number != number.to_integral_value():
            raise InvalidOperation
    except InvalidOperation:
        errors.append(
            _("Column %(col)s must be a whole number, not %(value)r.")
            % {"col": key, "value": value}
        )
        return 0
    if number < 0:
        errors.append(_("Column %(col)s must not be negative.") % {"col": key})
    return int(number)


def _split_cell(value: Any) -> list[list[str]]:
    lines = [ln.strip() for ln in str(value or "").splitlines() if ln.strip()]
    return [[part.strip() for part in ln.split("|")] for ln in lines]


def _documents(raw: Any, errors: list[str]) -> list[DocumentRecord]:
    items: list[dict[str, Any]]
    if isinstance(raw, list):
        items = [d if isinstance(d, dict) else {} for d in raw]
    else:
        items = []
        for parts in _split_cell(raw):
            parts += [""] * (5 - len(parts))
            items.append(
                {
                    "name": parts[0],
                    "form": parts[1],
                    "count": parts[2] or 1,
                    "required": parts[3].lower() not in {"0", "false", "không", "no"},
                    "template": parts[4],
                }
            )
    docs = []
    forms = set(DocumentForm.values)
    for i, d in enumerate(items, start=1):
        name = str(d.get("name") or "").strip()
        form = str(d.get("form") or "").strip()
        if not name:
            errors.append(_("Document %(n)s has no name.") % {"n": i})
        if form not in forms:
            errors.append(
                _("Document %(n)s has an invalid form %(form)r (use: %(ok)s).")
                % {"n": i, "form": form, "ok": ", ".join(sorted(forms))}
            )
        try:
            count = int(str(d.get("count", 1)).strip() or 1)
            if count < 1:
                raise ValueError
        except ValueError:
            errors.append(_("Document %(n)s has an invalid count.") % {"n": i})
            count = 1
        docs.append(
            DocumentRecord(
                name=name,
                form=form,
                count=count,
                required=bool(d.get("required", True)),
                template=str(d.get("template") or "").strip(),
            )
        )
    return docs


def _steps(raw: Any, known_kinds: set[str], errors: list[str]) -> list[StepRecord]:
    items: list[dict[str, Any]]
    if isinstance(raw, list):
        items = [s if isinstance(s, dict) else {} for s in raw]
    else:
        items = []
        for parts in _split_cell(raw):
            parts += [""] * (4 - len(parts))
            items.append(
                {"name": parts[0], "agency_kind": parts[1], "role": parts[2], "hours": parts[3]}
            )
    steps = []
    for i, s in enumerate(items, start=1):
        name = str(s.get("name") or "").strip()
        kind = str(s.get("agency_kind") or "").strip()
        role = str(s.get("role") or "").strip()
        if not name:
            errors.append(_("Step %(n)s has no name.") % {"n": i})
        if kind not in known_kinds:
            errors.append(
                _("Step %(n)s: agency kind %(kind)r is not in the system.") % {"n": i, "kind": kind}
            )
        if role not in STEP_ROLES:
            errors.append(
                _("Step %(n)s: invalid role %(role)r (use: %(ok)s).")
                % {"n": i, "role": role, "ok": ", ".join(sorted(STEP_ROLES))}
            )
        try:
            hours = Decimal(str(s.get("hours", "")).strip().replace(",", "."))
            if not hours.is_finite() or hours <= 0 or hours != hours.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                _("Step %(n)s: hours %(h)r must be positive, with at most 2 decimals.")
                % {"n": i, "h": s.get("hours")}
            )
            hours = Decimal(0)
        steps.append(StepRecord(name=name, agency_kind=kind, role=role, hours=hours))
    return steps


def _validate_row(
    row: dict[str, Any], known_kinds: set[str], fields: dict[str, str], errors: list[str]
) -> ProcedureRecord | None:
    if row.get("__invalid__"):
        errors.append(_("This item is not a JSON object."))
        return None
    code = _text(row, "code", errors)
    if code and not PROCEDURE_CODE_RE.match(code):
        errors.append(
            _("Procedure code %(code)r is not of the form d.dddddd (e.g. 1.001193).")
            % {"code": code}
        )
    name = _text(row, "name", errors)
    field_code = _text(row, "field_code", errors)
    field_name = _text(row, "field_name", errors, required=False) or fields.get(field_code, "")
    if field_code and not field_name:
        errors.append(
            _("Field %(code)r is not in the system; fill in the field_name column.")
            % {"code": field_code}
        )
    level = _text(row, "level", errors)
    if level and level not in Level.values:
        errors.append(
            _("Invalid level %(v)r (use: %(ok)s).") % {"v": level, "ok": ", ".join(Level.values)}
        )
    kind = _text(row, "competent_agency_kind", errors)
    if kind and kind not in known_kinds:
        errors.append(_("Agency kind %(kind)r is not in the system.") % {"kind": kind})
    limit_unit = _text(row, "limit_unit", errors)
    limit_amount = _int(row, "limit_amount", errors, default=0)
    if limit_unit and limit_unit not in {u.value for u in LimitUnit}:
        errors.append(
            _("Invalid limit unit %(v)r (use: days, hours, same_day).") % {"v": limit_unit}
        )
    elif limit_unit == LimitUnit.DAYS and not 1 <= limit_amount <= MAX_LIMIT_DAYS:
        errors.append(
            _("A limit of %(n)s working days is implausible (1 to %(max)s).")
            % {"n": limit_amount, "max": MAX_LIMIT_DAYS}
        )
    elif limit_unit == LimitUnit.HOURS and not 1 <= limit_amount <= MAX_LIMIT_HOURS:
        errors.append(
            _("A limit of %(n)s working hours is implausible (1 to %(max)s).")
            % {"n": limit_amount, "max": MAX_LIMIT_HOURS}
        )
    fee = _int(row, "fee_vnd", errors, default=0)
    charge = _int(row, "charge_vnd", errors, default=0)
    result = _text(row, "result", errors)
    raw_channels = row.get("channels")
    if isinstance(raw_channels, list):
        channels = [str(c).strip() for c in raw_channels]
    else:
        channels = [c.strip() for c in str(raw_channels or "").split(",") if c.strip()]
    bad = [c for c in channels if c not in Channel.values]
    if not channels:
        errors.append(_("A procedure must allow at least one filing channel."))
    if bad:
        errors.append(
            _("Invalid filing channels %(bad)s (use: %(ok)s).")
            % {"bad": ", ".join(bad), "ok": ", ".join(Channel.values)}
        )
    documents = _documents(row.get("documents"), errors)
    steps = _steps(row.get("steps"), known_kinds, errors)
    if limit_unit in {u.value for u in LimitUnit} and all(s.hours > 0 for s in steps):
        mismatch = workflow_mismatch(limit_amount, limit_unit, [s.hours for s in steps])
        if mismatch:
            errors.append(mismatch)
    if errors:
        return None
    return ProcedureRecord(
        code=code,
        name=name,
        field_code=field_code,
        field_name=field_name,
        level=level,
        competent_agency_kind=kind,
        limit_amount=limit_amount,
        limit_unit=limit_unit,
        fee_vnd=fee,
        charge_vnd=charge,
        fee_note=_text(row, "fee_note", errors, required=False),
        result=result,
        channels=channels,
        legal_basis=_text(row, "legal_basis", errors, required=False),
        documents=documents,
        steps=steps,
    )


# --- writing ---------------------------------------------------------------------------------


def _flat_row(rec: ProcedureRecord) -> list[str]:
    docs = "\n".join(
        " | ".join(
            [d.name, d.form, str(d.count), "true" if d.required else "false", d.template]
        ).rstrip(" |")
        for d in rec.documents
    )
    steps = "\n".join(
        f"{s.name} | {s.agency_kind} | {s.role} | {s.hours.normalize():f}" for s in rec.steps
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
        writer.writerow(COLUMNS)
        for rec in records:
            writer.writerow(_flat_row(rec))
        return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "procedures"
        ws.append(COLUMNS)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for rec in records:
            ws.append(_flat_row(rec))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
