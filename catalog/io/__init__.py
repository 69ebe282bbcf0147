"""Read and write the procedure catalog as JSON, CSV or XLSX, validating every row first.

All three formats carry the same records. JSON nests documents and steps; CSV and XLSX hold
one row per procedure, with documents and steps one per line inside their cells:
``name | form | count | required | template`` and ``name | agency_kind | role | hours``.

records.py holds the shapes, reading.py turns a file into rows (CSV and XLSX through
lib.tables, like the history import), validation.py checks one row, writing.py serialises.
"""

from catalog.io.reading import read_catalog
from catalog.io.records import (
    COLUMNS,
    FORMAT_NAME,
    REQUIRED_COLUMNS,
    CatalogFormatError,
    DocumentRecord,
    ImportReport,
    ProcedureRecord,
    StepRecord,
)
from catalog.io.writing import write_catalog

__all__ = [
    "COLUMNS",
    "FORMAT_NAME",
    "REQUIRED_COLUMNS",
    "CatalogFormatError",
    "DocumentRecord",
    "ImportReport",
    "ProcedureRecord",
    "StepRecord",
    "read_catalog",
    "write_catalog",
]
