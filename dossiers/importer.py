"""Import the dossier history of a province's previous system (CSV or XLSX, one row per dossier).

Every row is validated before anything is written; a file with any bad row writes nothing and
the report names each bad row and why. Imported dossiers get the same fields the actions
would have set (received, due, finished and returned instants, status, outcome, punctuality
from the same calendar) and a hash-chained event per recorded instant, so every figure counts
them exactly like native ones. The format is documented in docs/import-format.md.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import ProcedureVersion
from dossiers import figures, timeliness
from dossiers.actions import _new_event, default_competent_unit
from dossiers.actions.book import _enter_in_book
from dossiers.figures import FigureFields
from dossiers.models import ApplicantKind, Channel, Dossier, Outcome, Status
from lib.cells import csv_text
from lib.tables import Problem, TableError, read_table
from lib.text import fold
from lib.validate import text_problem
from orgs.models import Unit
from workcal import OutOfRange, PauseMode
from workdays.calendars import calendar_for

COLUMNS = [
    "code",
    "procedure_code",
    "receiving_unit",
    "competent_unit",
    "channel",
    "received_at",
    "due_at",
    "supplement_requested_at",
    "supplemented_at",
    "finished_at",
    "returned_at",
    "outcome",
]
OPTIONAL = {"due_at", "supplement_requested_at", "supplemented_at", "finished_at", "returned_at"}
OUTCOMES = {"approved", "refused", "stopped", "withdrawn", "in_progress"}
IMPORT_VERB = "import"


class ImportFormatError(ValueError):
    """Raise when the file cannot be read as a dossier history at all."""


@dataclass
class Planned:
    """One validated row, ready to be written."""

    code: str
    version: ProcedureVersion
    receiving: Unit
    competent: Unit
    channel: str
    received_at: datetime
    due_at: datetime
    supplement_requested_at: datetime | None
    supplemented_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    outcome: str
    status: str
    punctuality: str | None


@dataclass
class ImportReport:
    planned: list[Planned] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(content: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        table = read_table(content, filename)
    except TableError as exc:
        raise ImportFormatError(_table_problem(exc)) from exc
    missing = [c for c in COLUMNS if c not in table.header]
    if missing:
        raise ImportFormatError(
            _("Missing columns: %(cols)s. Expected: %(all)s.")
            % {"cols": ", ".join(missing), "all": ", ".join(COLUMNS)}
        )
    return [
        (line, {k: v if isinstance(v, datetime) else str(v) for k, v in row.items()})
        for line, row in table.rows
    ]


def _table_problem(exc: TableError) -> str:
    """Say in the history import's words why a CSV or XLSX file could not be read."""
    if exc.problem == Problem.NOT_UTF8:
        return _("The CSV file must be saved as UTF-8.")
    if exc.problem == Problem.UNREADABLE and exc.format == "csv":
        return _("The CSV file cannot be read: %(err)s") % {"err": exc.detail}
    if exc.problem == Problem.UNREADABLE:
        return _("The XLSX file cannot be read: %(err)s") % {"err": exc.detail}
    if exc.problem == Problem.NO_SHEET:
        return _("The XLSX file has no sheet.")
    if exc.problem == Problem.EMPTY:
        return _("The file is empty.")
    return _("Unsupported file type .%(ext)s; use .csv or .xlsx.") % {"ext": exc.format}


def _instant(row: dict[str, Any], key: str, errors: list[str]) -> datetime | None:
    value = row.get(key, "")
    if value in ("", None):
        if key not in OPTIONAL:
            errors.append(_("%(col)s is required.") % {"col": key})
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            errors.append(
                _("%(col)s=%(v)r is not an ISO 8601 instant (e.g. 2024-03-05T09:15:00+07:00).")
                % {"col": key, "v": value}
            )
            return None
    if parsed.tzinfo is None:
        errors.append(_("%(col)s=%(v)r has no UTC offset (+07:00).") % {"col": key, "v": value})
        return None
    return parsed


def read_history(
    content: bytes, filename: str, *, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Parse and validate a history file; nothing is written here."""
    rows = _rows(content, filename)
    report = ImportReport()
    if not rows:
        report.errors.append((1, _("The file has no dossier rows.")))
        return report
    versions: dict[str, ProcedureVersion | None] = {}
    cell_errors = {line: _cell_problems(row) for line, row in rows}
    existing = set(
        Dossier.objects.filter(
            code__in=[r["code"] for line, r in rows if not cell_errors[line]]
        ).values_list("code", flat=True)
    )
    seen: dict[str, int] = {}
    for i, (line, row) in enumerate(rows, start=1):
        # A cell that no column could hold (NUL, control characters, too long) stops the row
        # before it reaches a query: PostgreSQL refuses NUL with a server error.
        errors: list[str] = cell_errors[line]
        planned = None if errors else _plan(row, versions, existing, seen, errors)
        if errors:
            report.errors.extend((line, message) for message in errors)
        elif planned is not None:
            seen[planned.code] = line
            report.planned.append(planned)
        if progress:
            progress(i, len(rows))
    return report


# Columns' sizes: the dossier code is Dossier.code; the others are codes looked up, never stored.
CELL_MAX = {"code": Dossier._meta.get_field("code").max_length or 60}
LOOKUP_MAX = 100


def _cell_problems(row: dict[str, Any]) -> list[str]:
    """Return why the row's text cells cannot be used, per lib.validate's text rule."""
    errors = []
    for column in COLUMNS:
        value = row.get(column)
        if not isinstance(value, str):
            continue
        problem = text_problem(value, max_length=CELL_MAX.get(column, LOOKUP_MAX))
        if problem is not None:
            errors.append(_("%(col)s: %(why)s") % {"col": column, "why": problem.say(_)})
    return errors


def _version(code: str, cache: dict[str, ProcedureVersion | None]) -> ProcedureVersion | None:
    if code not in cache:
        # History is filed under the version in force today when older ones are unknown.
        cache[code] = (
            ProcedureVersion.objects.select_related("procedure")
            .filter(procedure__code=code)
            .order_by("-number")
            .first()
        )
    return cache[code]


def _plan(
    row: dict[str, Any],
    versions: dict[str, ProcedureVersion | None],
    existing: set[str],
    seen: dict[str, int],
    errors: list[str],
) -> Planned | None:
    code = str(row.get("code", ""))
    if not code:
        errors.append(_("code is required."))
    elif code in existing:
        errors.append(_("Dossier %(code)s already exists.") % {"code": code})
    elif code in seen:
        errors.append(
            _("Dossier %(code)s repeats line %(line)s.") % {"code": code, "line": seen[code]}
        )
    version = _version(str(row.get("procedure_code", "")), versions)
    if version is None:
        errors.append(_("Unknown procedure %(code)r.") % {"code": row.get("procedure_code")})
    channel = str(row.get("channel", ""))
    if channel not in Channel.values:
        errors.append(
            _("channel must be 1 (desk), 2 (online) or 3 (post), not %(v)r.") % {"v": channel}
        )
    outcome = str(row.get("outcome", ""))
    if outcome not in OUTCOMES:
        errors.append(
            _("outcome %(v)r is not one of %(ok)s.")
            % {"v": outcome, "ok": ", ".join(sorted(OUTCOMES))}
        )
    received = _instant(row, "received_at", errors)
    instants = {k: _instant(row, k, errors) for k in sorted(OPTIONAL)}
    day = received.date() if received else None
    receiving = Unit.objects.by_code(str(row.get("receiving_unit", "")), on=day) if day else None
    if day and receiving is None:
        errors.append(
            _("Unknown receiving unit %(code)r on that date.") % {"code": row.get("receiving_unit")}
        )
    competent = None
    if day and row.get("competent_unit"):
        competent = Unit.objects.by_code(str(row["competent_unit"]), on=day)
        if competent is None:
            errors.append(
                _("Unknown competent unit %(code)r on that date.") % {"code": row["competent_unit"]}
            )
    if errors or received is None or version is None or receiving is None:
        return None
    competent = competent or default_competent_unit(version, receiving)
    asked, answered = instants["supplement_requested_at"], instants["supplemented_at"]
    finished, returned = instants["finished_at"], instants["returned_at"]
    order = [("received_at", received), ("supplement_requested_at", asked)]
    order += [("supplemented_at", answered), ("finished_at", finished), ("returned_at", returned)]
    present = [(k, v) for k, v in order if v is not None]
    for (k1, v1), (k2, v2) in pairwise(present):
        if v2 < v1:
            errors.append(_("%(b)s is before %(a)s.") % {"a": k1, "b": k2})
    if answered is not None and asked is None:
        errors.append(_("supplemented_at needs supplement_requested_at."))
    if outcome == "in_progress" and (finished or returned):
        errors.append(_("An in-progress dossier cannot have finished_at or returned_at."))
    if outcome != "in_progress" and finished is None:
        errors.append(_("A finished dossier (outcome %(o)s) needs finished_at.") % {"o": outcome})
    if returned is not None and outcome in ("stopped", "withdrawn"):
        errors.append(_("A stopped dossier has no returned_at."))
    if errors:
        return None
    # The receiving unit's calendar, as for every dossier (dossiers.timeliness.calendar_of).
    cal = calendar_for(receiving)
    try:
        due = instants["due_at"]
        if due is None:
            due = cal.due(received, version.limit)
            if asked is not None and answered is not None:
                due = cal.resume(due, asked, answered, version.limit, mode=PauseMode.RESUME)
        punctuality = None
        if finished is not None:
            # Processing that ended while the applicant was asked to supplement is judged at
            # the request.
            paused = asked if answered is None else None
            punctuality = timeliness.verdict(cal, timeliness.clock_end(finished, paused), due)
    except OutOfRange as exc:
        errors.append(str(exc))
        return None
    if outcome == "in_progress":
        status = Status.SUPPLEMENT_REQUESTED if asked and not answered else Status.IN_PROGRESS
    elif outcome in ("stopped", "withdrawn"):
        status = Status.STOPPED
    else:
        status = Status.RETURNED if returned else Status.RESULT_READY
    return Planned(
        code=code,
        version=version,
        receiving=receiving,
        competent=competent,
        channel=channel,
        received_at=received,
        due_at=due,
        supplement_requested_at=asked,
        supplemented_at=answered,
        finished_at=finished,
        returned_at=returned,
        outcome=outcome,
        status=status,
        punctuality=punctuality,
    )


@transaction.atomic
def write_history(
    planned: list[Planned], *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write validated rows: dossiers and their event chains, all or nothing.

    The report's counters get the new dossiers' contributions in the same transaction.
    """
    written: list[FigureFields] = []
    for i, p in enumerate(planned, start=1):
        outcome = {"approved": Outcome.GRANTED, "refused": Outcome.DENIED}.get(p.outcome, "")
        d = Dossier(
            code=p.code,
            procedure_version=p.version,
            receiving_unit=p.receiving,
            competent_unit=p.competent,
            channel=p.channel,
            status=p.status,
            outcome=outcome,
            applicant_kind=ApplicantKind.PERSON,
            applicant_name=_("(imported)"),
            applicant_name_folded=fold(_("(imported)")),
            applicant_id_number="",
            public_secret="",
            submitted_at=p.received_at,
            received_at=p.received_at,
            due_at=p.due_at,
            paused_at=p.supplement_requested_at if p.supplemented_at is None else None,
            finished_at=p.finished_at,
            returned_at=p.returned_at,
            punctuality=p.punctuality,
            supplement_count=1 if p.supplement_requested_at else 0,
        )
        events = []
        steps = [("received_at", p.received_at, Status.IN_PROGRESS)]
        if p.supplement_requested_at:
            steps.append(
                ("supplement_requested_at", p.supplement_requested_at, Status.SUPPLEMENT_REQUESTED)
            )
        if p.supplemented_at:
            steps.append(("supplemented_at", p.supplemented_at, Status.IN_PROGRESS))
        if p.finished_at:
            final = Status.STOPPED if p.status == Status.STOPPED else Status.RESULT_READY
            steps.append(("finished_at", p.finished_at, final))
        if p.returned_at:
            steps.append(("returned_at", p.returned_at, Status.RETURNED))
        previous = ""
        for what, at, to in steps:
            payload: dict[str, Any] = {"column": what}
            if what == "received_at":
                payload["due_at"] = p.due_at.isoformat()  # the appointment, as actions record it
            events.append(
                _new_event(
                    d,
                    verb=IMPORT_VERB,
                    actor=None,
                    from_status=previous,
                    to_status=to,
                    at=at,
                    payload=payload,
                    steps=[],  # imported dossiers have no step rows
                )
            )
            previous = to
        # Imported dossiers take the next entries of their volume, in the file's order.
        _enter_in_book(d, p.received_at)
        d.save(force_insert=True)
        written.append(FigureFields.of(d))
        for e in events:
            e.dossier = d
        type(events[0]).objects.bulk_create(events)
        if progress:
            progress(i, len(planned))
    figures.record_new(written)
    return len(planned)


_OUTCOME_OF = {
    Status.STOPPED: "stopped",
    Status.IN_PROGRESS: "in_progress",
    Status.SUPPLEMENT_REQUESTED: "in_progress",
}


def history_rows(dossiers: Any) -> list[dict[str, str]]:
    """Describe received dossiers in the import format (used to move history between systems)."""
    rows = []
    for d in (
        dossiers.select_related("procedure_version__procedure", "receiving_unit", "competent_unit")
        .filter(received_at__isnull=False)
        .exclude(status=Status.CANCELLED)
        .order_by("pk")
    ):
        asked = answered = None
        for e in d.events.filter(verb__in=["request_supplement", "supplement", IMPORT_VERB]):
            column = e.payload.get("column") if e.verb == IMPORT_VERB else None
            if e.verb == "request_supplement" or column == "supplement_requested_at":
                asked = e.at
            if e.verb == "supplement" or column == "supplemented_at":
                answered = e.at
        outcome = _OUTCOME_OF.get(d.status) or (
            "refused" if d.outcome == Outcome.DENIED else "approved"
        )
        values = {
            "code": d.code,
            "procedure_code": d.procedure_version.procedure.code,
            "receiving_unit": d.receiving_unit.code,
            "competent_unit": d.competent_unit.code,
            "channel": d.channel,
            "received_at": d.received_at,
            "due_at": d.due_at,
            "supplement_requested_at": asked,
            "supplemented_at": answered,
            "finished_at": d.finished_at
            if d.status not in _OUTCOME_OF or d.status == Status.STOPPED
            else None,
            "returned_at": d.returned_at,
            "outcome": outcome,
        }
        rows.append(
            {k: v.isoformat() if isinstance(v, datetime) else (v or "") for k, v in values.items()}
        )
    return rows


def write_csv(rows: list[dict[str, str]]) -> bytes:
    """Serialise rows of the import format as UTF-8 CSV (cells safe to open in a spreadsheet)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({k: csv_text(v) for k, v in row.items()} for row in rows)
    return buf.getvalue().encode("utf-8")
