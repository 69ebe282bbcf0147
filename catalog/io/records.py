"""The catalog's records, columns and reports, shared by reading, validating and writing."""

from dataclasses import dataclass, field
from decimal import Decimal

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
    # "competent" (the default) or "province": whose agency of that kind performs the step.
    unit: str = "competent"


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
