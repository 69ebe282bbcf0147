"""Validate one catalog row (from any format) into a ProcedureRecord, naming every problem."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from catalog.io.records import DocumentRecord, ProcedureRecord, StepRecord
from catalog.models import (
    PROCEDURE_CODE_RE,
    Channel,
    DocumentForm,
    Level,
    StepUnit,
    workflow_mismatch,
)
from lib.validate import text_problem
from orgs.models import Role
from workcal import LimitUnit

STEP_ROLES = {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK}
MAX_LIMIT_DAYS = 365
MAX_LIMIT_HOURS = MAX_LIMIT_DAYS * 8


# The columns' sizes (catalog.models); long texts (fee note, legal basis) get a sane bound.
MAX_LENGTH = {
    "code": 20,
    "name": 500,
    "field_code": 20,
    "field_name": 200,
    "result": 500,
    "fee_note": 5000,
    "legal_basis": 5000,
}
MULTILINE = {"fee_note", "legal_basis"}
DOCUMENT_NAME_MAX = 500
TEMPLATE_MAX = 255
STEP_NAME_MAX = 255
OTHER_MAX = 100


def _checked(
    value: str, label: str, max_length: int, errors: list[str], multiline: bool = False
) -> str:
    """Return `value`, noting in `errors` why lib.validate's text rule refuses it."""
    problem = text_problem(value, max_length=max_length, multiline=multiline)
    if problem is not None:
        errors.append(_("%(col)s: %(why)s") % {"col": label, "why": problem.say(_)})
    return value


def _text(row: dict[str, Any], key: str, errors: list[str], *, required: bool = True) -> str:
    value = row.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.append(_("Column %(col)s has no value.") % {"col": key})
    return _checked(text, key, MAX_LENGTH.get(key, OTHER_MAX), errors, key in MULTILINE)


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
        where = _("Document %(n)s") % {"n": i}
        name = _checked(str(d.get("name") or "").strip(), where, DOCUMENT_NAME_MAX, errors)
        form = _checked(str(d.get("form") or "").strip(), where, OTHER_MAX, errors)
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
                template=_checked(
                    str(d.get("template") or "").strip(), where, TEMPLATE_MAX, errors
                ),
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
            parts += [""] * (5 - len(parts))
            items.append(
                {
                    "name": parts[0],
                    "agency_kind": parts[1],
                    "role": parts[2],
                    "hours": parts[3],
                    "unit": parts[4] or StepUnit.COMPETENT,
                }
            )
    steps = []
    for i, s in enumerate(items, start=1):
        where = _("Step %(n)s") % {"n": i}
        name = _checked(str(s.get("name") or "").strip(), where, STEP_NAME_MAX, errors)
        kind = _checked(str(s.get("agency_kind") or "").strip(), where, OTHER_MAX, errors)
        role = _checked(str(s.get("role") or "").strip(), where, OTHER_MAX, errors)
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
        unit = str(s.get("unit") or StepUnit.COMPETENT).strip()
        if unit not in StepUnit.values:
            errors.append(
                _("Step %(n)s: invalid unit %(unit)r (use: %(ok)s).")
                % {"n": i, "unit": unit, "ok": ", ".join(StepUnit.values)}
            )
        steps.append(StepRecord(name=name, agency_kind=kind, role=role, hours=hours, unit=unit))
    return steps


def validate_row(
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
        channels = [_checked(str(c).strip(), "channels", OTHER_MAX, errors) for c in raw_channels]
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
