"""What each verb of the lifecycle does to a locked dossier, registered with the engine.

Each applier returns the new status and the event's payload; the engine (engine.py) has
already checked status, actor, guards and parameters, and checks the new status against the
verb's target in the workflow table.
"""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers import timeliness
from dossiers.access import workflow_steps
from dossiers.actions.clock import (
    _agency_for,
    _calendar,
    _cutoff,
    _day_rule,
    _enter_step,
    _finish_step,
    _hours,
    _start_clock,
    _start_step,
)
from dossiers.actions.engine import Context, applies
from dossiers.actions.errors import InvalidInput, NotAllowed
from dossiers.models import Dossier, Outcome, ReturnMethod, Status, StepKind
from dossiers.workflow import Verb
from orgs.access import has_role, holders
from orgs.models import Role
from workcal import Limit, LimitUnit, PauseMode

Result = tuple[str, dict[str, Any]]


@applies(Verb.ACCEPT)
def _accept(d: Dossier, ctx: Context) -> Result:
    """Receive an online filing as complete: the clock starts (form 01 without paper)."""
    _start_clock(d, ctx.at)
    assert d.due_at is not None
    return Status.IN_PROGRESS, {"due_at": d.due_at.isoformat()}


@applies(Verb.REQUEST_SUPPLEMENT)
def _request_supplement(d: Dossier, ctx: Context) -> Result:
    """Ask the applicant to complete the dossier (form 02); a running clock stops."""
    if d.status == Status.SUBMITTED and not has_role(
        ctx.actor, Role.DESK_OFFICER, d.receiving_unit
    ):
        raise NotAllowed(_("Only the one-stop desk may request a supplement at intake."))
    d.supplement_count += 1
    if d.received_at is not None:
        d.paused_at = ctx.at
    return Status.SUPPLEMENT_REQUESTED, {
        "missing_documents": ctx.missing_documents,
        "clock": "paused" if d.received_at is not None else "not_started",
    }


@applies(Verb.SUPPLEMENT)
def _supplement(d: Dossier, ctx: Context) -> Result:
    """Record that the applicant completed the dossier: the clock resumes or restarts."""
    if d.received_at is None:
        return Status.SUBMITTED, {"clock": "not_started"}
    assert d.paused_at is not None and d.due_at is not None
    cal = _calendar(d)
    mode = PauseMode(settings.SUPPLEMENT_PAUSE_MODE)
    old_due = d.due_at
    d.due_at = cal.resume(
        old_due,
        d.paused_at,
        ctx.at,
        d.procedure_version.limit,
        mode=mode,
        cutoff=_cutoff(d),
        day_rule=_day_rule(),
    )
    step = d.current_step
    if step is not None:
        if mode is PauseMode.RESTART:
            # The limit counts again from zero (art. 19.5): so does the step's allotment.
            start = cal.effective_start(ctx.at, cutoff=_cutoff(d))
            step.due_at = cal.add(start, _hours(step.allotted_hours))
        else:
            step.due_at = cal.resume(
                step.due_at,
                d.paused_at,
                ctx.at,
                Limit(0, LimitUnit.SAME_DAY),
                mode=PauseMode.RESUME,
            )
        step.save(update_fields=["due_at"])
    paused = d.paused_at
    d.paused_at = None
    return Status.IN_PROGRESS, {
        "clock": str(mode),
        "paused_at": paused.isoformat(),
        "old_due_at": old_due.isoformat(),
        "due_at": d.due_at.isoformat(),
    }


@applies(Verb.REFUSE)
def _refuse(d: Dossier, ctx: Context) -> Result:
    """Refuse to receive the dossier, with reasons (form 03)."""
    d.finished_at = ctx.at
    return Status.REFUSED, {}


@applies(Verb.FORWARD)
def _forward(d: Dossier, ctx: Context) -> Result:
    """Hand the dossier to the next step, with what the step left asks for: an assignment
    names the person who holds the next step, an appraisal gives its opinion, the clerk
    records the result's number, symbol and date."""
    assert d.current_step is not None
    kind = d.current_step.kind
    content: dict[str, Any] = {}
    assignee = None
    if kind == StepKind.ASSIGN:
        assignee = _assignee(d, ctx)
        content = {"assignee": assignee.pk, "assignee_name": assignee.get_full_name()}
    elif kind == StepKind.APPRAISE:
        if not ctx.comment:
            raise InvalidInput(
                _("Write the appraisal opinion before forwarding the dossier."), field="comment"
            )
        content = {"opinion": ctx.comment}
    elif kind == StepKind.ISSUE:
        content = _numbered(d, ctx)
    if ctx.comment and "opinion" not in content:
        content["comment"] = ctx.comment
    return _advance(d, ctx, holder=assignee, **content)


def _advance(d: Dossier, ctx: Context, *, holder: Any = None, **content: Any) -> Result:
    """Finish the current step and enter the next one (held by `holder` alone, if given);
    `content` joins the event payload."""
    assert d.current_step is not None
    payload = _finish_step(d, ctx.actor, ctx.at)
    nxt = d.current_step.position + 1
    status = _enter_step(d, nxt, ctx.at, assignee=holder)
    payload["to_step"] = nxt
    payload.update(content)
    return status, payload


def assignable(d: Dossier) -> list[User]:
    """Return the people a leader at an assignment step may name for the next step: the
    active holders of its role in its agency (or unit-wide); [] at any other step."""
    step = d.current_step
    if step is None or step.kind != StepKind.ASSIGN:
        return []
    ws = workflow_steps(d)[step.position]
    return holders(ws.role, _agency_for(ws.agency_kind.code, d))


def _assignee(d: Dossier, ctx: Context) -> "User":
    """Return the person the leader named for the next step: active and holding its role in
    its agency (or unit-wide in its unit); anyone else is refused beside the field."""
    assert d.current_step is not None
    ws = workflow_steps(d)[d.current_step.position]  # the next step (positions count from 1)
    agency = _agency_for(ws.agency_kind.code, d)
    chosen = ctx.assignee
    if isinstance(chosen, str):
        chosen = User.objects.filter(username=chosen.strip(), is_active=True).first()
    if chosen is None:
        raise InvalidInput(_("Choose the person who will handle the next step."), field="assignee")
    if not has_role(chosen, ws.role, agency.unit, agency):
        raise InvalidInput(
            _("%(name)s does not hold the role of the next step (%(role)s) in %(agency)s.")
            % {
                "name": chosen.get_full_name(),
                "role": Role(ws.role).label,
                "agency": agency.name,
            },
            field="assignee",
        )
    return chosen


def _numbered(d: Dossier, ctx: Context) -> dict[str, Any]:
    """Record the issued result's number, symbol and date on the dossier (số, ký hiệu văn
    bản, ngày ban hành); return them for the event."""
    if not ctx.result_number:
        raise InvalidInput(_("Enter the document number."), field="result_number")
    if not ctx.result_symbol:
        raise InvalidInput(_("Enter the document symbol."), field="result_symbol")
    if ctx.result_date is None:
        raise InvalidInput(_("Enter the date of the document."), field="result_date")
    if ctx.result_date > timezone.localdate(ctx.at):
        raise InvalidInput(_("The document date cannot be in the future."), field="result_date")
    if d.received_at is not None and ctx.result_date < timezone.localdate(d.received_at):
        raise InvalidInput(
            _("The document date cannot be before the dossier was received."),
            field="result_date",
        )
    d.result_number = ctx.result_number
    d.result_symbol = ctx.result_symbol
    d.result_date = ctx.result_date
    return {
        "result_number": d.result_number,
        "result_symbol": d.result_symbol,
        "result_date": d.result_date.isoformat(),
    }


@applies(Verb.SEND_BACK)
def _send_back(d: Dossier, ctx: Context) -> Result:
    """Return the dossier to the previous step, with a reason."""
    assert d.current_step is not None
    payload = _finish_step(d, ctx.actor, ctx.at)
    prev = d.current_step.position - 1
    _start_step(d, prev, ctx.at)
    payload["to_step"] = prev
    return Status.IN_PROGRESS, payload


@applies(Verb.APPROVE)
def _approve(d: Dossier, ctx: Context) -> Result:
    """Sign the decision granting the request; the dossier goes on to be issued."""
    d.outcome = Outcome.GRANTED
    return _advance(d, ctx, **({"comment": ctx.comment} if ctx.comment else {}))


@applies(Verb.REFUSE_RESULT)
def _refuse_result(d: Dossier, ctx: Context) -> Result:
    """Decide not to grant, with reasons in writing; the notice goes back through the desk."""
    d.outcome = Outcome.DENIED
    return _advance(d, ctx)


@applies(Verb.RETURN_RESULT)
def _return_result(d: Dossier, ctx: Context) -> Result:
    """Hand the result to the applicant and close the dossier, recording how and, at the
    desk, who collected it."""
    if ctx.return_method not in ReturnMethod.values:
        raise InvalidInput(
            _("Choose how the result was returned (at the desk, by post or online)."),
            field="return_method",
        )
    if ctx.return_method == ReturnMethod.DESK and not ctx.collector_name:
        raise InvalidInput(
            _("Enter the name of the person who collected the result."), field="collector_name"
        )
    payload = _finish_step(d, ctx.actor, ctx.at)
    d.returned_at = ctx.at
    d.return_method = ctx.return_method
    d.collector_name = ctx.collector_name
    d.collector_id_number = ctx.collector_id_number
    payload.update(
        return_method=d.return_method,
        collector_name=d.collector_name,
        collector_id_number=d.collector_id_number,
    )
    return Status.RETURNED, payload


@applies(Verb.STOP)
def _stop(d: Dossier, ctx: Context) -> Result:
    """Stop processing at the applicant's request (Decree 118 art. 21; form 05)."""
    payload = _finish_step(d, ctx.actor, ctx.at) if d.current_step else {}
    d.finished_at = ctx.at
    if d.due_at is not None:
        # Stopping ends processing: it is judged against the appointment like a result
        # (DOMAIN.md §6: stopped and withdrawn dossiers are finished).
        ended = timeliness.clock_end(ctx.at, d.paused_at)
        d.punctuality = timeliness.verdict(_calendar(d), ended, d.due_at, reappointed=d.reappointed)
    d.paused_at = None
    return Status.STOPPED, payload


@applies(Verb.APOLOGIZE)
def _apologize(d: Dossier, ctx: Context) -> Result:
    """Apologise for a delay and set the one new appointment (form 04); it stays late."""
    assert ctx.new_due is not None
    if d.due_at is not None and ctx.new_due <= d.due_at:
        raise InvalidInput(
            _("The new appointment must be later than the current one."), field="new_due"
        )
    if ctx.new_due <= ctx.at:
        raise InvalidInput(_("The new appointment must be in the future."), field="new_due")
    cal = _calendar(d)
    # The law asks for the apology at least one working day before the due instant.
    timely = d.due_at is not None and cal.between(ctx.at, d.due_at).total_seconds() >= (
        cal.seconds_per_day
    )
    d.original_due_at = d.due_at
    d.due_at = ctx.new_due
    d.reappointed = True
    return d.status, {
        "old_due_at": d.original_due_at.isoformat() if d.original_due_at else None,
        "due_at": ctx.new_due.isoformat(),
        "timely": timely,
    }


@applies(Verb.CANCEL)
def _cancel(d: Dossier, ctx: Context) -> Result:
    """Cancel a dossier entered in error (administrators only, with a reason)."""
    payload = _finish_step(d, ctx.actor, ctx.at) if d.current_step else {}
    d.paused_at = None
    return Status.CANCELLED, payload
