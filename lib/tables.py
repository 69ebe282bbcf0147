"""Read a spreadsheet-like table (CSV or XLSX) given as bytes or an open binary file.

One header row, then one dict per data row, keyed by the header's names. Both importers (the
procedure catalog and a previous system's dossier history) read their files through here, so a
file that opens in one opens in the other:

- CSV must be UTF-8; a byte-order mark (what Excel's "CSV UTF-8" writes) is dropped. The quote
  our CSV writers put before a cell starting with "=", "+", "-", "@" (`lib.cells`) is removed,
  so an exported file reads back as it was.
- XLSX: the active sheet, with computed values rather than formulas.
- Header names are stripped of spaces (and a stray BOM); columns without a name are dropped.
- Rows whose cells are all empty are skipped, wherever they are (Excel often leaves trailing
  ones); row numbers count the header as row 1, as a spreadsheet does.
- Text cells are stripped; empty cells are ""; other XLSX values (numbers, dates) are kept.

Nothing here opens files, touches the network or knows about Django: errors carry a `Problem`
code that the caller turns into its own translated message.
"""

import csv
import enum
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import load_workbook

from lib.cells import csv_unescape

FORMATS = ("csv", "xlsx")


class Problem(enum.StrEnum):
    """Why bytes could not be read as a table."""

    UNSUPPORTED = "unsupported"  # not a .csv or .xlsx name
    NOT_UTF8 = "not_utf8"  # a CSV in another encoding
    UNREADABLE = "unreadable"  # a corrupt XLSX, or a CSV the csv module refuses
    NO_SHEET = "no_sheet"  # an XLSX without an active worksheet
    EMPTY = "empty"  # not even a header row


class TableError(ValueError):
    """Raise when the content cannot be read as a table at all."""

    def __init__(self, problem: Problem, fmt: str, detail: str = "") -> None:
        super().__init__(f"{problem}: {detail}" if detail else str(problem))
        self.problem = problem
        self.format = fmt
        self.detail = detail


@dataclass(frozen=True)
class Table:
    """A table's named columns and its non-empty rows as (row number, {name: value})."""

    format: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def file_format(filename: str) -> str:
    """Return the lower-case extension of `filename` ("" when it has none)."""
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def read_table(content: bytes | IO[bytes], filename: str) -> Table:
    """Read a CSV or XLSX table, choosing the format from the file name's extension."""
    fmt = file_format(filename)
    if fmt == "csv":
        lines = _csv_lines(content)
    elif fmt == "xlsx":
        lines = _xlsx_lines(content)
    else:
        raise TableError(Problem.UNSUPPORTED, fmt)
    return _table(fmt, lines)


def _csv_lines(content: bytes | IO[bytes]) -> list[list[Any]]:
    data = content if isinstance(content, bytes) else content.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(Problem.NOT_UTF8, "csv", str(exc)) from exc
    try:
        return [[csv_unescape(c) for c in line] for line in csv.reader(io.StringIO(text))]
    except csv.Error as exc:  # e.g. a cell past the csv module's field size limit
        raise TableError(Problem.UNREADABLE, "csv", str(exc)) from exc


def _xlsx_lines(content: bytes | IO[bytes]) -> list[list[Any]]:
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise TableError(Problem.UNREADABLE, "xlsx", str(exc)) from exc
    try:
        ws = wb.active
        if ws is None:
            raise TableError(Problem.NO_SHEET, "xlsx")
        return [list(values) for values in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def _is_empty(values: Iterable[Any]) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def _table(fmt: str, lines: list[list[Any]]) -> Table:
    numbered: Iterator[tuple[int, list[Any]]] = iter(enumerate(lines, start=1))
    first = next(numbered, None)
    if first is None:
        raise TableError(Problem.EMPTY, fmt)
    names = ["" if h is None else str(h).replace("\ufeff", "").strip() for h in first[1]]
    rows = []
    for number, values in numbered:
        if _is_empty(values):
            continue
        row = {
            name: _cell(value)
            for name, value in zip(names, values, strict=False)
            if name  # a column without a name holds nothing we can use
        }
        rows.append((number, row))
    return Table(fmt, [n for n in names if n], rows)
