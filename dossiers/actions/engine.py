"""The transition engine: `perform` checks a verb against the workflow table and applies it.

One transaction per call: lock the dossier, check version, status, actor, guards and reason,
let the verb's applier change the dossier and its steps, check that the new status is one the
table allows, then append the hash-chained event, the outbox rows, the conditional update and
the report's counters. Appliers (dossiers/actions/verbs.py) only say what a verb does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers import figures
from dossiers.access import actor_matches, guard_problem
from dossiers.actions.chain import _append_event
from dossiers.actions.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    WorkflowError,
)
from dossiers.actions.outbox import _notification_kind, _notify
from dossiers.figures import FigureFields
from dossiers.models import Dossier
from dossiers.workflow import TRANSITIONS, VERB_LABELS, Transition, Verb
from lib.validate import text_problem

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import Unit


@dataclass(frozen=True)
class Context:
    """What an applier receives besides the locked dossier."""

    actor: "User"
    at: datetime
    reason: str = ""
    new_due: datetime | None = None
    missing_documents: list[str] = field(default_factory=list)
    competent_unit: "Unit | None" = None
    # The middle steps' content (dossiers.actions.verbs checks what each step kind needs).
    assignee: "User | None" = None
    comment: str = ""
    result_number: str = ""
    result_symbol: str = ""
    result_date: date | None = None
    return_method: str = ""
    collector_name: str = ""
    collector_id_number: str = ""


# An applier changes the locked dossier (and its steps) and returns the new status and the
# event's payload. It never saves the dossier: the engine writes the changed columns.
Apply = Callable[[Dossier, Context], tuple[str, dict[str, Any]]]

APPLIERS: dict[Verb, Apply] = {}

# A precondition says why a verb cannot apply to the locked dossier now (a message) or None.
# Apps above dossiers register theirs (payments: a fee due before return is unpaid) from
# their AppConfig.ready, so the engine checks them without importing those apps (ADR 19).
Precondition = Callable[[Dossier, Verb], str | None]

PRECONDITIONS: list[Precondition] = []


def register_precondition(check: Precondition) -> Precondition:
    """Have the engine call `check(locked_dossier, verb)` under the lock before every verb."""
    if check not in PRECONDITIONS:
        PRECONDITIONS.append(check)
    return check


# A follow-up writes rows of its own app in the transaction of a transition that happened
# (payments: a "payment due" message when a result is ready and fees are unpaid).
FollowUp = Callable[[Dossier, Verb, datetime], None]

FOLLOW_UPS: list[FollowUp] = []


def register_follow_up(fn: FollowUp) -> FollowUp:
    """Have the engine call `fn(locked_dossier, verb, at)` after every transition, in its
    transaction (the dossier's new status is set)."""
    if fn not in FOLLOW_UPS:
        FOLLOW_UPS.append(fn)
    return fn


# Parameters a caller may pass to `perform` besides the reason; which verb uses which is in
# the workflow table (`Transition.params`). Others are ignored, as a form or the API sends
# every field for every verb.
_PARAMS = frozenset(
    {
        "reason",
        "new_due",
        "missing_documents",
        "competent_unit",
        "assignee",
        "comment",
        "result_number",
        "result_symbol",
        "result_date",
        "return_method",
        "collector_name",
        "collector_id_number",
    }
)
_TEXT_PARAMS = {
    "comment": 2000,
    "result_number": 20,
    "result_symbol": 40,
    "collector_name": 200,
    "collector_id_number": 20,
}


def applies(verb: Verb) -> Callable[[Apply], Apply]:
    """Register the decorated function as the applier of `verb`."""

    def register(fn: Apply) -> Apply:
        if verb in APPLIERS:
            raise WorkflowError(f"two appliers for {verb}")
        APPLIERS[verb] = fn
        return fn

    return register


def perform(
    verb: str,
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    expected_version: int | None = None,
    **params: Any,
) -> Dossier:
    """Apply `verb` to the dossier as `actor` at `at`, in one transaction; return it updated.

    `params` are the verb's parameters (reason, new_due, missing_documents). Raises an
    `ActionError` when the verb is refused; nothing is changed then.
    """
    try:
        v = Verb(verb)
    except ValueError:
        raise InvalidInput(_("Action %(v)r does not exist.") % {"v": verb}) from None
    if v not in TRANSITIONS or v not in APPLIERS:
        raise InvalidInput(_("Action %(v)r cannot be used here.") % {"v": verb})
    ctx = _context(TRANSITIONS[v], actor, at, params)
    return _run(TRANSITIONS[v], dossier, ctx, APPLIERS[v], expected_version)


def _context(t: Transition, actor: "User", at: datetime, params: dict[str, Any]) -> Context:
    """Check the verb's parameters (all in this one place) and build the applier's context.

    The reason is checked later, under the lock, so that who may act is answered first.
    """
    unknown = set(params) - _PARAMS
    if unknown:
        raise TypeError(f"perform({t.verb}) got unexpected parameters {sorted(unknown)}")
    reason = (params.get("reason") or "") if t.needs_reason else ""
    new_due: datetime | None = None
    missing: list[str] = []
    if "new_due" in t.params:
        new_due = params.get("new_due")
        if new_due is None:
            raise InvalidInput(_("A new appointment for the result is required."), field="new_due")
        if new_due.tzinfo is None:
            raise InvalidInput(_("The new appointment must have a time zone."), field="new_due")
    if "missing_documents" in t.params:
        missing = [m.strip() for m in params.get("missing_documents") or [] if m.strip()]
        if not missing:
            raise InvalidInput(
                _("List the documents to be supplemented or completed."),
                field="missing_documents",
            )
    competent = None
    if "competent_unit" in t.params:
        competent = params.get("competent_unit")
        if competent is None:
            raise InvalidInput(
                _("Choose the competent unit to transfer the dossier to."), field="competent_unit"
            )
    texts = {name: _text(params, name, t) for name in _TEXT_PARAMS}
    result_date = params.get("result_date") if "result_date" in t.params else None
    if result_date is not None and not isinstance(result_date, date):
        raise InvalidInput(_("The document date is not a date."), field="result_date")
    return Context(
        actor,
        at,
        reason=reason,
        new_due=new_due,
        missing_documents=missing,
        competent_unit=competent,
        assignee=params.get("assignee") if "assignee" in t.params else None,
        result_date=result_date,
        return_method=(params.get("return_method") or "") if "return_method" in t.params else "",
        **texts,
    )


def _text(params: dict[str, Any], name: str, t: Transition) -> str:
    """Return a text parameter the verb takes, stripped and checked (length, no control
    characters); "" when the verb does not take it."""
    if name not in t.params:
        return ""
    value = (params.get(name) or "").strip()
    problem = text_problem(value, max_length=_TEXT_PARAMS[name], multiline=name == "comment")
    if problem is not None:
        raise InvalidInput(problem.say(_), field=name)
    return value


def _lock(dossier: Dossier) -> Dossier:
    """Return the dossier re-read under a row lock, with what the appliers need."""
    # The row lock (PostgreSQL) or the IMMEDIATE write lock (SQLite) serialises two
    # officers acting at once; the loser then sees the new version or status.
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "receiving_unit",
            "competent_unit",
            "procedure_version",
            "current_step__agency__unit",
        )
        .get(pk=dossier.pk)
    )


def _check(t: Transition, locked: Dossier, ctx: Context, expected_version: int | None) -> None:
    """Refuse the verb (ActionError) unless the table and the dossier allow it now."""
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Dossier %(code)s was updated by someone else (version %(now)s; you are "
                "viewing version %(seen)s). Reload the page to see its current state."
            )
            % {"code": locked.code, "now": locked.version, "seen": expected_version},
            current_version=locked.version,
        )
    label = VERB_LABELS[t.verb]
    if locked.status not in t.sources:
        raise InvalidTransition(
            _("Cannot “%(verb)s” while the dossier is “%(status)s”.")
            % {"verb": label, "status": locked.get_status_display()},
            current_status=locked.status,
        )
    if not actor_matches(ctx.actor, locked, t.actors):
        raise NotAllowed(
            _("You may not “%(verb)s” dossier %(code)s.") % {"verb": label, "code": locked.code}
        )
    problem = guard_problem(locked, t.verb)
    for check in PRECONDITIONS:
        problem = problem or check(locked, t.verb)
    if problem:
        raise InvalidTransition(problem)
    if t.needs_reason and not ctx.reason.strip():
        raise InvalidInput(_("A reason is required to “%(verb)s”.") % {"verb": label})


def _run(
    t: Transition, dossier: Dossier, ctx: Context, apply: Apply, expected_version: int | None
) -> Dossier:
    with transaction.atomic():
        locked = _lock(dossier)
        before = _field_values(locked)
        _check(t, locked, ctx, expected_version)
        from_status = locked.status
        to_status, payload = apply(locked, ctx)
        if not t.lands_in(from_status, to_status):
            # Raised inside the transaction: whatever the applier wrote rolls back.
            raise WorkflowError(
                f"{t.verb} took dossier {locked.code} from {from_status!r} to {to_status!r},"
                f" outside its target {t.target!r}"
            )
        locked.status = to_status
        old_version = locked.version
        locked.version = old_version + 1
        reason = ctx.reason.strip()
        _append_event(
            locked,
            verb=t.verb,
            actor=ctx.actor,
            from_status=from_status,
            to_status=to_status,
            at=ctx.at,
            reason=reason,
            payload=payload,
        )
        kind = _notification_kind(t.verb, to_status)
        if kind is not None:
            # Same transaction as the change: the outbox row exists iff the change does.
            extra = {"reason": reason} if reason else {}
            _notify(locked, kind, ctx.at, **extra, **payload)
        for follow_up in FOLLOW_UPS:
            follow_up(locked, t.verb, ctx.at)
        # One conditional UPDATE of the changed columns: the version check and the write are
        # the same statement, so even without the lock nothing could be overwritten silently.
        after = _field_values(locked)
        changed = {k: v for k, v in after.items() if before[k] != v}
        if not Dossier.objects.filter(pk=locked.pk, version=old_version).update(**changed):
            raise Conflict(_("The dossier was just updated by someone else; reload the page."))
        # The report's counters follow the row in the same transaction (no query when the
        # figure fields did not change).
        procedure_id = locked.procedure_version.procedure_id
        figures.record(
            FigureFields.from_values(before, procedure_id),
            FigureFields.from_values(after, procedure_id),
        )
        return locked


def _field_values(dossier: Dossier) -> dict[str, Any]:
    """Return the dossier's concrete column values, keyed by attribute name."""
    return {f.attname: getattr(dossier, f.attname) for f in Dossier._meta.concrete_fields}
