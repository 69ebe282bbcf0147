"""Inter-unit routing and the supplement's deadline: the TRANSFER and CLOSE_UNANSWERED verbs.

A desk receives regardless of administrative boundaries and routes the dossier to the
competent unit (Decree 118/2025 arts. 3.6-3.7, 14.2, 20); a received dossier can later be
transferred to another competent unit with a reason. An applicant who does not answer a
supplement request within SUPPLEMENT_CLOSE_DAYS calendar days may see the dossier closed
(art. 19.5); `dossiers.routing` runs that as a scheduled task through the verb below.
"""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.public import competent_units
from dossiers import timeliness
from dossiers.access import workflow_steps
from dossiers.actions.clock import _calendar, _day_rule, _finish_step, _start_step
from dossiers.actions.engine import Context, applies
from dossiers.actions.errors import InvalidInput
from dossiers.models import Dossier, OutboxMessage, Status
from dossiers.workflow import Verb
from orgs.models import ONE_STOP_DESK, Role, StaffRole

Result = tuple[str, dict[str, Any]]

# What happens to the time limit when a dossier is transferred (TRANSFER_CLOCK).
CLOCK_CONTINUES = "continue"
CLOCK_RESTARTS = "restart"


def _restart_position(d: Dossier) -> int:
    """The step the new unit starts at: the current one while the desk holds the dossier
    (the desk is the receiving unit's and stays), else the first step not at the desk."""
    current = d.current_step
    assert current is not None
    steps = workflow_steps(d)
    if steps[current.position - 1].agency_kind.code == ONE_STOP_DESK:
        return current.position
    for ws in steps:
        if ws.agency_kind.code != ONE_STOP_DESK:
            return ws.position
    return current.position


@applies(Verb.TRANSFER)
def _transfer(d: Dossier, ctx: Context) -> Result:
    """Pass the dossier to another competent unit: its steps restart at the new unit's
    agencies; the time limit continues (or restarts, TRANSFER_CLOCK)."""
    target = ctx.competent_unit
    assert target is not None  # the engine requires the parameter
    if target.pk == d.competent_unit_id:
        raise InvalidInput(
            _("The dossier is already with %(unit)s.") % {"unit": target.name},
            field="competent_unit",
        )
    allowed = competent_units(d.procedure_version, d.receiving_unit, timezone.localdate(ctx.at))
    if target.pk not in {u.pk for u in allowed}:
        raise InvalidInput(
            _("%(unit)s cannot decide dossiers of this procedure received at %(desk)s.")
            % {"unit": target.name, "desk": d.receiving_unit.name},
            field="competent_unit",
        )
    source = d.competent_unit
    payload = _finish_step(d, ctx.actor, ctx.at)
    d.competent_unit = target
    clock = settings.TRANSFER_CLOCK
    if clock == CLOCK_RESTARTS:
        assert d.due_at is not None
        payload["old_due_at"] = d.due_at.isoformat()
        d.due_at = _calendar(d).due(ctx.at, d.procedure_version.limit, day_rule=_day_rule())
    position = _restart_position(d)
    _start_step(d, position, ctx.at)
    assert d.due_at is not None
    payload.update(
        {
            "from_unit": source.code,
            "from_unit_name": source.name,
            "to_unit": target.code,
            "to_unit_name": target.name,
            "to_step": position,
            "clock": clock,
            "due_at": d.due_at.isoformat(),
        }
    )
    _tell_desk(d, target.pk, ctx, payload)
    return Status.IN_PROGRESS, payload


def _tell_desk(d: Dossier, unit_id: int, ctx: Context, payload: dict[str, Any]) -> None:
    """Write the in-app (and e-mail) message to the new unit's desk officers, in the
    transaction of the transfer (Decree 118 art. 14.2: tell the competent body's desk)."""
    people = StaffRole.objects.filter(
        unit_id=unit_id, role=Role.DESK_OFFICER, user__is_active=True
    ).values("user_id", "user__username", "user__email")
    body = {"code": d.code, "unit": d.receiving_unit.name, "reason": ctx.reason, **payload}
    rows = []
    for person in {p["user_id"]: p for p in people}.values():
        common = {"dossier": d, "user_id": person["user_id"], "kind": "transferred_in"}
        rows.append(
            OutboxMessage(
                channel="app",
                recipient=person["user__username"],
                payload=body,
                created_at=ctx.at,
                **common,
            )
        )
        if person["user__email"]:
            rows.append(
                OutboxMessage(
                    channel="email",
                    recipient=person["user__email"],
                    payload=body,
                    created_at=ctx.at,
                    **common,
                )
            )
    OutboxMessage.objects.bulk_create(rows)


@applies(Verb.CLOSE_UNANSWERED)
def _close_unanswered(d: Dossier, ctx: Context) -> Result:
    """Close a dossier whose supplement request went unanswered (art. 19.5): processing
    stops; a received dossier is judged at the request, when its clock stopped."""
    d.finished_at = ctx.at
    if d.due_at is not None:
        ended = timeliness.clock_end(ctx.at, d.paused_at)
        d.punctuality = timeliness.verdict(_calendar(d), ended, d.due_at, reappointed=d.reappointed)
    payload = _finish_step(d, ctx.actor, ctx.at) if d.current_step else {}
    d.paused_at = None
    return Status.STOPPED, payload
