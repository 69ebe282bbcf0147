"""Read a catalog file (JSON, CSV or XLSX) into validated records; nothing is written here."""

import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from catalog.io.records import (
    COLUMNS,
    FORMAT_NAME,
    REQUIRED_COLUMNS,
    CatalogFormatError,
    ImportReport,
)
from catalog.io.validation import validate_row
from lib.tables import FORMATS as TABLE_FORMATS
from lib.tables import Problem, TableError, file_format, read_table


def read_catalog(
    content: bytes,
    filename: str,
    *,
    known_agency_kinds: set[str],
    known_fields: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Parse and validate a catalog file; nothing is written here."""
    ext = file_format(filename)
    if ext == "json":
        raw_rows, fields = _rows_from_json(content)
    elif ext in TABLE_FORMATS:
        raw_rows, fields = _rows_from_table(content, filename), {}
    else:
        raise CatalogFormatError(_unsupported(ext))
    fields = {**(known_fields or {}), **fields}
    report = ImportReport()
    seen: dict[str, str] = {}
    total = len(raw_rows)
    for i, (where, row) in enumerate(raw_rows, start=1):
        errors: list[str] = []
        record = validate_row(row, known_agency_kinds, fields, errors)
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
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
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


def _rows_from_table(content: bytes, filename: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        table = read_table(content, filename)
    except TableError as exc:
        raise CatalogFormatError(_table_problem(exc)) from exc
    _check_header(table.header)
    return [(_("Row %(n)s") % {"n": number}, row) for number, row in table.rows]


def _table_problem(exc: TableError) -> str:
    """Say in the catalog's words why a CSV or XLSX file could not be read."""
    if exc.problem == Problem.NOT_UTF8:
        return _("The CSV file must be saved as UTF-8.")
    if exc.problem == Problem.UNREADABLE and exc.format == "csv":
        return _("Cannot read the CSV file: %(err)s") % {"err": exc.detail}
    if exc.problem == Problem.UNREADABLE:
        return _("Cannot read the XLSX file: %(err)s") % {"err": exc.detail}
    if exc.problem == Problem.NO_SHEET:
        return _("The XLSX file has no worksheet.")
    if exc.problem == Problem.EMPTY and exc.format == "csv":
        return _("The CSV file is empty.")
    if exc.problem == Problem.EMPTY:
        return _("The XLSX file is empty.")
    return _unsupported(exc.format)


def _unsupported(ext: str) -> str:
    return _("Unsupported file format .%(ext)s; use .json, .csv or .xlsx.") % {"ext": ext}
