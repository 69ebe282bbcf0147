"""What the hotline asks the records: a dossier by lookup number and PIN, a procedure by its
code's digits, whether officers are at work now, and the call log (ADR 26)."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone

from catalog.models import Procedure
from dossiers.access import LookupLocked, get_dossier_by_receipt
from dossiers.choices import OPEN_STATUSES, Status
from dossiers.models import Dossier
from hotline.menu import DossierStatus, Locked, Menu, NotFound, ProcedureFacts
from hotline.models import Call, Outcome
from lib.lookupnumber import parse_lookup_number
from orgs.models import Unit
from workcal.calendar import OutOfRange
from workdays.calendars import calendar_for


def find_dossier(
    number: str, pin: str, *, caller: str, at: datetime
) -> DossierStatus | NotFound | Locked:
    """The dossier the lookup number and PIN designate; counted like the web's PIN attempts.

    The web's limiter (dossiers.access.get_dossier_by_receipt) counts per client address; a
    phone's address is its caller number, so a caller gets the same ten wrong PINs per dossier
    and twenty per period. An unknown number is looked up under a code no dossier has: it
    counts and answers exactly like a wrong PIN.
    """
    pk = parse_lookup_number(number)
    code = Dossier.objects.filter(pk=pk).values_list("code", flat=True).first() if pk else None
    try:
        d = get_dossier_by_receipt(
            code or f"tel#{number}", pin, client=f"tel:{caller or '-'}", at=at
        )
    except LookupLocked:
        return Locked()
    if d is None:
        return NotFound()
    step = ""
    if d.current_step_id is not None and d.status in OPEN_STATUSES:
        step = d.current_step.name  # type: ignore[union-attr]
    # While a supplement is awaited the clock is paused: the appointment will move.
    due = timezone.localtime(d.due_at) if d.due_at and d.status == Status.IN_PROGRESS else None
    bring: tuple[str, ...] = ()
    if d.status == Status.SUPPLEMENT_REQUESTED:
        # The request's list of documents (form 02), else its reason.
        event = (
            d.events.filter(to_status=Status.SUPPLEMENT_REQUESTED)
            .order_by("-seq")
            .values("payload", "reason")
            .first()
        )
        if event is not None:
            missing = (event["payload"] or {}).get("missing_documents") or []
            listed = tuple(str(m) for m in missing if str(m).strip())
            bring = listed or ((event["reason"],) if event["reason"] else ())
    return DossierStatus(status=d.status, step=step, due=due, bring=bring)


def find_procedure(number: str) -> ProcedureFacts | NotFound:
    """The procedure in force whose code, without its dots, is `number` ("1001193")."""
    procedure = (
        Procedure.objects.alias(digits=Replace("code", Value("."), Value("")))
        .filter(digits=number, is_active=True)
        .first()
    )
    version = procedure.current_version() if procedure is not None else None
    if version is None:
        return NotFound()
    return ProcedureFacts(
        name=procedure.name,  # type: ignore[union-attr]
        limit_amount=version.limit_amount,
        limit_unit=version.limit_unit,
        fees=version.fee_vnd + version.charge_vnd,
    )


def office_open(at: datetime) -> bool:
    """Whether officers take calls now: inside a working period of HOTLINE_UNIT's calendar."""
    unit = (
        Unit.objects.filter(code=settings.HOTLINE_UNIT).first() if settings.HOTLINE_UNIT else None
    )
    try:
        return calendar_for(unit).next_working_start(at) <= at
    except OutOfRange:
        return False


def mask_caller(number: str) -> str:
    """The caller number with its middle hidden: "0912345678" -> "091****678"."""
    digits = "".join(c for c in number if c.isdigit())[:20]
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def log_call(
    menu: Menu, *, uniqueid: str, caller: str, started: datetime, ended: datetime, hung_up: bool
) -> Call:
    """Write the call's row: its outcome and counts, never the keys typed."""
    if menu.end_reason == "transferred":
        outcome = Outcome.TRANSFERRED
    elif menu.answers_heard:
        outcome = Outcome.ANSWERED
    elif hung_up:
        outcome = Outcome.ABANDONED
    else:
        outcome = Outcome.ENDED
    return Call.objects.create(
        uniqueid=uniqueid[:64],
        caller=mask_caller(caller),
        started_at=started,
        ended_at=ended,
        outcome=outcome,
        end_reason=(menu.end_reason or ("hangup" if hung_up else ""))[:20],
        dossier_lookups=min(menu.dossier_lookups, 32767),
        dossiers_found=min(menu.dossiers_found, 32767),
        procedures_found=min(menu.procedures_found, 32767),
    )


class DjangoRecords:
    """hotline.agi's Records over the database; each call runs in a worker thread."""

    def find_dossier(
        self, number: str, pin: str, *, caller: str, at: datetime
    ) -> DossierStatus | NotFound | Locked:
        close_old_connections()
        return find_dossier(number, pin, caller=caller, at=at)

    def find_procedure(self, number: str) -> ProcedureFacts | NotFound:
        close_old_connections()
        return find_procedure(number)

    def office_open(self, at: datetime) -> bool:
        close_old_connections()
        return office_open(at)

    def log_call(self, menu: Menu, **fields: Any) -> None:
        close_old_connections()
        log_call(menu, **fields)
