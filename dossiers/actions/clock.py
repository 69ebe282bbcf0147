"""The dossier's clock and steps: the calendar, due instants, entering and leaving steps."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.models import StepUnit
from dossiers import timeliness
from dossiers.access import version_step_kinds, workflow_steps
from dossiers.actions.book import _enter_in_book
from dossiers.actions.errors import InvalidInput
from dossiers.models import Channel, Dossier, DossierStep, Outcome, Status
from orgs.lookups import active_agencies
from orgs.models import ONE_STOP_DESK, Agency, Unit
from workcal import DayRule, WorkCalendar

if TYPE_CHECKING:
    from accounts.models import User


def _calendar(dossier: Dossier) -> WorkCalendar:
    # One calendar per dossier, the receiving unit's: the desk promised the appointment.
    # Kept on the object for the length of one action.
    cal: WorkCalendar | None = getattr(dossier, "_calendar", None)
    if cal is None:
        cal = timeliness.calendar_of(dossier)
        dossier._calendar = cal  # type: ignore[attr-defined]
    return cal


def _cutoff(dossier: Dossier) -> time | None:
    # The 15:00 rule applies to paper dossiers; online ones only skip to the next period.
    if dossier.channel == Channel.ONLINE:
        return None
    return dossier.receiving_unit.intake_cutoff


def _day_rule() -> DayRule:
    return DayRule(settings.DAY_LIMIT_RULE)


def _hours(value: Decimal) -> timedelta:
    return timedelta(seconds=int(Decimal(value) * 3600))


def _step_unit(kind_code: str, dossier: Dossier, where: str) -> Unit:
    # The desk belongs to the receiving unit; other steps to the competent unit, or to its
    # province when the catalog says so (a province department in a commune procedure).
    if kind_code == ONE_STOP_DESK:
        return dossier.receiving_unit
    if where == StepUnit.PROVINCE and dossier.competent_unit.parent_id is not None:
        return Unit.objects.get(pk=dossier.competent_unit.ancestor_ids()[0])
    return dossier.competent_unit


def _agency_for(kind_code: str, dossier: Dossier, where: str = StepUnit.COMPETENT) -> Agency:
    """Return the active agency of `kind_code` that acts for this dossier.

    The desk belongs to the receiving unit, every other agency to the competent unit, or to
    the competent unit's province for a step the catalog places there (`WorkflowStep.unit`).
    The agencies come from a per-process cache (`orgs.lookups`).
    """
    unit = _step_unit(kind_code, dossier, where)
    cache = active_agencies(dossier.receiving_unit_id, dossier.competent_unit_id, unit.pk)
    agency = cache.get((unit.pk, kind_code))
    if agency is None:
        raise InvalidInput(
            _("%(unit)s has no agency of kind %(kind)s to carry out the workflow.")
            % {"unit": unit.name, "kind": kind_code}
        )
    return agency


def _set_due(dossier: Dossier, at: datetime) -> None:
    dossier.received_at = at
    dossier.due_at = _calendar(dossier).due(
        at, dossier.procedure_version.limit, cutoff=_cutoff(dossier), day_rule=_day_rule()
    )


def _start_step(
    dossier: Dossier,
    position: int,
    at: datetime,
    *,
    cutoff: time | None = None,
    assignee: "User | None" = None,
) -> DossierStep:
    """Open the step at `position`, held by `assignee` if given; a step entered again (sent
    back, or forwarded after a send-back) keeps the person it was assigned to before."""
    steps = workflow_steps(dossier)
    ws = steps[position - 1]
    cal = _calendar(dossier)
    start = cal.effective_start(at, cutoff=cutoff)
    due = cal.add(start, _hours(ws.hours))
    assignee_id = assignee.pk if assignee is not None else None
    if assignee_id is None and dossier.current_step_id is not None:
        assignee_id = (
            DossierStep.objects.filter(dossier=dossier, position=position)
            .order_by("-id")
            .values_list("assignee_id", flat=True)
            .first()
        )
    step = DossierStep.objects.create(
        dossier=dossier,
        position=position,
        name=ws.name,
        agency=_agency_for(ws.agency_kind.code, dossier, ws.unit),
        role=ws.role,
        kind=version_step_kinds(dossier)[position - 1],
        assignee_id=assignee_id,
        allotted_hours=ws.hours,
        started_at=at,
        due_at=due,
    )
    dossier.current_step = step
    return step


def _start_clock(dossier: Dossier, at: datetime) -> None:
    _set_due(dossier, at)
    _enter_in_book(dossier, at)
    _start_step(dossier, 1, at, cutoff=_cutoff(dossier))


def _finish_step(dossier: Dossier, actor: "User | None", at: datetime) -> dict[str, Any]:
    step = dossier.current_step
    if step is None:
        return {}
    step.finished_at = at
    step.finished_by = actor
    step.punctuality = timeliness.verdict(_calendar(dossier), at, step.due_at)
    step.save(update_fields=["finished_at", "finished_by", "punctuality"])
    return {
        "step": step.position,
        "step_name": step.name,
        "step_kind": step.kind,
        "step_result": step.punctuality,
    }


def _enter_step(
    dossier: Dossier, position: int, at: datetime, *, assignee: "User | None" = None
) -> str:
    """Move the dossier into `position`; entering the last step makes the result ready."""
    steps = workflow_steps(dossier)
    _start_step(dossier, position, at, assignee=assignee)
    if position == len(steps):
        dossier.finished_at = at
        if dossier.outcome == "":
            dossier.outcome = Outcome.GRANTED
        # A dossier only moves between steps after its clock started (_set_due).
        assert dossier.due_at is not None
        dossier.punctuality = timeliness.verdict(
            _calendar(dossier), at, dossier.due_at, reappointed=dossier.reappointed
        )
        return Status.RESULT_READY
    return Status.IN_PROGRESS
