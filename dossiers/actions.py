"""One named function per verb of the lifecycle.

Each function checks the actor's role for this dossier and that the transition is allowed
from the current status, then, in one transaction: changes the dossier and its steps, appends
the hash-chained event row, and enqueues notifications in the outbox. Only these functions
change a dossier.
"""

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import DocumentForm, ProcedureVersion, VersionStatus
from dossiers import figures
from dossiers.access import actor_matches, guard_problem, version_documents, workflow_steps
from dossiers.figures import FigureFields
from dossiers.models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierStep,
    IdempotencyKey,
    OutboxMessage,
    Outcome,
    Punctuality,
    Status,
)
from dossiers.workflow import TRANSITIONS, VERB_LABELS, Verb
from lib.ids import citizen_id_problem, tax_code_problem
from lib.text import fold
from orgs.access import has_role
from orgs.models import ONE_STOP_DESK, Agency, Role, Unit
from workcal import DayRule, Limit, LimitUnit, PauseMode, WorkCalendar
from workdays.calendars import calendar_for

if TYPE_CHECKING:
    from accounts.models import User


class ActionError(Exception):
    """A refused action: `slug` names the problem, `message` says it to a person."""

    status = 422
    slug = "action-refused"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class InvalidInput(ActionError):
    slug = "invalid-input"


class NotAllowed(ActionError):
    status = 403
    slug = "not-allowed"


class InvalidTransition(ActionError):
    status = 409
    slug = "invalid-transition"


class Conflict(ActionError):
    status = 409
    slug = "stale-version"


# --- helpers ---------------------------------------------------------------------------------


def _calendar(dossier: Dossier) -> WorkCalendar:
    # One calendar per dossier, the receiving unit's: the desk promised the appointment.
    # Kept on the object for the length of one action.
    cal: WorkCalendar | None = getattr(dossier, "_calendar", None)
    if cal is None:
        cal = calendar_for(dossier.receiving_unit)
        dossier._calendar = cal  # type: ignore[attr-defined]
    return cal


def _cutoff(dossier: Dossier) -> time | None:
    # The 15:00 rule applies to paper dossiers; online ones only skip to the next period.
    if dossier.channel == Channel.ONLINE:
        return None
    return dossier.receiving_unit.intake_cutoff


def _day_rule() -> DayRule:
    return DayRule(settings.DAY_LIMIT_RULE)


def _event_hash(prev: str, fields: list[Any]) -> str:
    # Instants are hashed in UTC: what the database gives back must hash the same.
    fields = [f.astimezone(UTC).isoformat() if isinstance(f, datetime) else f for f in fields]
    body = json.dumps([prev, *fields], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _new_event(
    dossier: Dossier,
    *,
    verb: str,
    actor: "User | None",
    from_status: str,
    to_status: str,
    at: datetime,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> DossierEvent:
    """Build (unsaved) the next event of the dossier and advance its chain head."""
    payload = payload or {}
    seq = dossier.event_count + 1
    prev = dossier.last_event_hash
    fields = [dossier.code, seq, verb, actor.pk if actor else None]
    fields += [from_status, to_status, reason, at, payload]
    digest = _event_hash(prev, fields)
    dossier.event_count = seq
    dossier.last_event_hash = digest
    return DossierEvent(
        dossier=dossier,
        seq=seq,
        verb=verb,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        at=at,
        payload=payload,
        prev_hash=prev,
        hash=digest,
    )


def _append_event(dossier: Dossier, **kwargs: Any) -> DossierEvent:
    """Write the next event of the dossier."""
    event = _new_event(dossier, **kwargs)
    event.save(force_insert=True)
    return event


def verify_chain(dossier: Dossier) -> bool:
    """Recompute the event hashes of a dossier and tell whether the chain is intact."""
    prev = ""
    for e in dossier.events.order_by("seq"):
        digest = _event_hash(
            prev,
            [
                dossier.code,
                e.seq,
                e.verb,
                e.actor_id,
                e.from_status,
                e.to_status,
                e.reason,
                e.at,
                e.payload,
            ],
        )
        if e.prev_hash != prev or e.hash != digest:
            return False
        prev = digest
    return prev == dossier.last_event_hash


def _notify(dossier: Dossier, kind: str, at: datetime, **payload: Any) -> None:
    """Queue a message to the applicant; delivery happens after commit, elsewhere."""
    base = {"code": dossier.code, "status": dossier.status, **payload}
    if dossier.applicant_phone:
        OutboxMessage.objects.create(
            dossier=dossier,
            kind=kind,
            channel="sms",
            recipient=dossier.applicant_phone,
            payload=base,
            created_at=at,
        )
    if dossier.applicant_email:
        OutboxMessage.objects.create(
            dossier=dossier,
            kind=kind,
            channel="email",
            recipient=dossier.applicant_email,
            payload=base,
            created_at=at,
        )


def _agency_for(kind_code: str, dossier: Dossier) -> Agency:
    """Return the active agency of `kind_code` that acts for this dossier.

    The desk belongs to the receiving unit, every other agency to the competent unit. The
    agencies of both units are loaded once per dossier object (one query).
    """
    cache: dict[tuple[int, str], Agency] | None = getattr(dossier, "_agencies", None)
    if cache is None:
        rows = Agency.objects.filter(
            unit_id__in={dossier.receiving_unit_id, dossier.competent_unit_id}, is_active=True
        ).select_related("kind")
        cache = {(a.unit_id, a.kind.code): a for a in rows}
        dossier._agencies = cache  # type: ignore[attr-defined]
    unit = dossier.receiving_unit if kind_code == ONE_STOP_DESK else dossier.competent_unit
    agency = cache.get((unit.pk, kind_code))
    if agency is None:
        raise InvalidInput(
            _("%(unit)s has no agency of kind %(kind)s to carry out the workflow.")
            % {"unit": unit.name, "kind": kind_code}
        )
    return agency


def _start_step(
    dossier: Dossier, position: int, at: datetime, *, cutoff: time | None = None
) -> DossierStep:
    steps = workflow_steps(dossier)
    ws = steps[position - 1]
    cal = _calendar(dossier)
    start = cal.effective_start(at, cutoff=cutoff)
    due = cal.add(start, _hours(ws.hours))
    step = DossierStep.objects.create(
        dossier=dossier,
        position=position,
        name=ws.name,
        agency=_agency_for(ws.agency_kind.code, dossier),
        role=ws.role,
        allotted_hours=ws.hours,
        started_at=at,
        due_at=due,
    )
    dossier.current_step = step
    return step


def _hours(value: Decimal) -> timedelta:
    return timedelta(seconds=int(Decimal(value) * 3600))


def _finish_step(dossier: Dossier, actor: "User | None", at: datetime) -> dict[str, Any]:
    step = dossier.current_step
    if step is None:
        return {}
    step.finished_at = at
    step.finished_by = actor
    step.punctuality = _calendar(dossier).classify_finished(at, step.due_at)
    step.save(update_fields=["finished_at", "finished_by", "punctuality"])
    return {"step": step.position, "step_name": step.name, "step_result": step.punctuality}


def _enter_step(dossier: Dossier, position: int, at: datetime) -> str:
    """Move the dossier into `position`; entering the last step makes the result ready."""
    steps = workflow_steps(dossier)
    _start_step(dossier, position, at)
    if position == len(steps):
        dossier.finished_at = at
        if dossier.outcome == "":
            dossier.outcome = Outcome.GRANTED
        # A dossier only moves between steps after its clock started (_set_due).
        assert dossier.due_at is not None
        verdict = _calendar(dossier).classify_finished(at, dossier.due_at)
        # A re-appointed dossier stays counted as late (DOMAIN.md §2).
        dossier.punctuality = Punctuality.LATE if dossier.reappointed else verdict
        return Status.RESULT_READY
    return Status.IN_PROGRESS


# Verbs whose outcome the applicant is told about; forwarding and approving only tell them
# when the result becomes ready at the desk.
_NOTIFY_ALWAYS = frozenset(
    {
        Verb.ACCEPT,
        Verb.REQUEST_SUPPLEMENT,
        Verb.REFUSE,
        Verb.RETURN_RESULT,
        Verb.STOP,
        Verb.APOLOGIZE,
    }
)


def _notification_kind(verb: Verb, to_status: str) -> str | None:
    if verb in _NOTIFY_ALWAYS:
        return str(verb)
    if to_status == Status.RESULT_READY:
        return "result_ready"
    return None


@dataclass
class Context:
    """What a verb function receives besides the dossier."""

    actor: "User"
    at: datetime
    reason: str = ""
    new_due: datetime | None = None
    missing_documents: list[str] = field(default_factory=list)


Apply = Callable[[Dossier, Context], tuple[str, dict[str, Any]]]


def _run(
    verb: Verb,
    dossier: Dossier,
    ctx: Context,
    apply: Apply,
    *,
    expected_version: int | None = None,
) -> Dossier:
    transition = TRANSITIONS[verb]
    with transaction.atomic():
        # The row lock (PostgreSQL) or the IMMEDIATE write lock (SQLite) serialises two
        # officers acting at once; the loser then sees the new version or status.
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related(
                "receiving_unit",
                "competent_unit",
                "procedure_version",
                "current_step__agency__unit",
            )
            .get(pk=dossier.pk)
        )
        before = _field_values(locked)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict(
                _(
                    "Dossier %(code)s was updated by someone else (version %(now)s; you are "
                    "viewing version %(seen)s). Reload the page to see its current state."
                )
                % {"code": locked.code, "now": locked.version, "seen": expected_version},
                current_version=locked.version,
            )
        if locked.status not in transition.sources:
            raise InvalidTransition(
                _("Cannot “%(verb)s” while the dossier is “%(status)s”.")
                % {"verb": VERB_LABELS[verb], "status": locked.get_status_display()},
                current_status=locked.status,
            )
        if not actor_matches(ctx.actor, locked, transition.actors):
            raise NotAllowed(
                _("You may not “%(verb)s” dossier %(code)s.")
                % {"verb": VERB_LABELS[verb], "code": locked.code}
            )
        problem = guard_problem(locked, verb)
        if problem:
            raise InvalidTransition(problem)
        if transition.needs_reason and not ctx.reason.strip():
            raise InvalidInput(
                _("A reason is required to “%(verb)s”.") % {"verb": VERB_LABELS[verb]}
            )
        from_status = locked.status
        to_status, payload = apply(locked, ctx)
        locked.status = to_status
        old_version = locked.version
        locked.version = old_version + 1
        _append_event(
            locked,
            verb=verb,
            actor=ctx.actor,
            from_status=from_status,
            to_status=to_status,
            at=ctx.at,
            reason=ctx.reason.strip(),
            payload=payload,
        )
        kind = _notification_kind(verb, to_status)
        if kind is not None:
            # Same transaction as the change: the outbox row exists iff the change does.
            extra = {"reason": ctx.reason.strip()} if ctx.reason.strip() else {}
            _notify(locked, kind, ctx.at, **extra, **payload)
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


# --- filing ----------------------------------------------------------------------------------


@dataclass
class Applicant:
    kind: str
    name: str
    id_number: str
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class ReceivedDocument:
    position: int
    form: str = ""
    count: int = 1


def _validate_applicant(applicant: Applicant, at: datetime) -> None:
    if applicant.kind not in ApplicantKind.values:
        raise InvalidInput(_("The applicant kind must be person or organisation."))
    if not applicant.name.strip():
        raise InvalidInput(_("The applicant's full name is missing."), field="applicant.name")
    if applicant.kind == ApplicantKind.PERSON:
        problem = citizen_id_problem(applicant.id_number, today=at.date())
        if problem:
            raise InvalidInput(
                _("Personal identification number %(value)s is invalid: %(why)s.")
                % {"value": applicant.id_number, "why": _(problem)},
                field="applicant.id_number",
            )
    else:
        problem = tax_code_problem(applicant.id_number)
        if problem:
            raise InvalidInput(
                _("Tax code %(value)s is invalid: %(why)s.")
                % {"value": applicant.id_number, "why": _(problem)},
                field="applicant.id_number",
            )
    if not (applicant.phone.strip() or applicant.email.strip()):
        raise InvalidInput(
            _("A phone number or an email address is needed to contact the applicant."),
            field="applicant.phone",
        )


_CHANNEL_FLAGS = {
    Channel.DESK: "allows_desk",
    Channel.POST: "allows_post",
}


def _check_channel(version: ProcedureVersion, channel: str) -> None:
    if channel == Channel.ONLINE:
        ok = version.allows_online_full or version.allows_online_partial
    else:
        ok = getattr(version, _CHANNEL_FLAGS[Channel(channel)])
    if not ok:
        raise InvalidInput(
            _("Procedure %(code)s does not accept filing through the channel “%(channel)s”.")
            % {"code": version.procedure.code, "channel": Channel(channel).label},
            field="channel",
        )


def _check_documents(
    version: ProcedureVersion, received: list[ReceivedDocument]
) -> list[dict[str, Any]]:
    docs = {d.position: d for d in version_documents(version.pk)}
    got = {r.position: r for r in received}
    unknown = sorted(set(got) - set(docs))
    if unknown:
        raise InvalidInput(
            _("Document number %(n)s is not part of this procedure.")
            % {"n": ", ".join(map(str, unknown))},
            field="documents",
        )
    missing = [d for pos, d in sorted(docs.items()) if d.required and pos not in got]
    if missing:
        raise InvalidInput(
            _("Missing required documents: %(names)s.")
            % {"names": "; ".join(d.name for d in missing)},
            field="documents",
            missing=[d.position for d in missing],
        )
    out = []
    for pos, r in sorted(got.items()):
        form = r.form or docs[pos].form
        if form not in DocumentForm.values:
            raise InvalidInput(_("Invalid document form %(f)r.") % {"f": form})
        out.append({"position": pos, "name": docs[pos].name, "form": form, "count": r.count})
    return out


def default_competent_unit(version: ProcedureVersion, receiving: Unit) -> Unit:
    """Return who decides: the receiving ward/commune, or its province for provincial ones."""
    if version.level == "province":
        root_id = int(receiving.path.strip("/").split("/")[0])
        return Unit.objects.get(pk=root_id)
    return receiving


def _next_code(desk: Agency, at: datetime) -> str:
    """Take the next `<desk id>-<YYMMDD>-<NNNN>` code (DOMAIN.md §5); locks the day's counter."""
    day = timezone.localtime(at).date()
    table = DossierCounter._meta.db_table
    for _attempt in range(3):
        # One statement increments and reads; the row lock serialises concurrent desks.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE agency_id = %s AND day = %s "  # noqa: S608
                "RETURNING last",
                [desk.pk, day],
            )
            row = cursor.fetchone()
        if row is not None:
            return f"{desk.code}-{day:%y%m%d}-{row[0]:04d}"
        try:
            with transaction.atomic():
                DossierCounter.objects.create(agency=desk, day=day, last=1)
            return f"{desk.code}-{day:%y%m%d}-0001"
        except IntegrityError:
            continue  # another desk officer created today's counter first
    raise Conflict(_("Could not take a dossier number; please try again."))


@transaction.atomic
def file_dossier(
    *,
    actor: "User",
    version: ProcedureVersion,
    receiving_unit: Unit,
    channel: str,
    applicant: Applicant,
    documents: list[ReceivedDocument],
    at: datetime,
    competent_unit: Unit | None = None,
    sets_count: int = 1,
    idempotency: tuple[str, str] | None = None,
) -> Dossier:
    """Create a dossier: received at the desk (desk, post) or submitted online."""
    if version.status != VersionStatus.PUBLISHED:
        raise InvalidInput(_("This procedure is no longer in force."))
    if channel not in Channel.values:
        raise InvalidInput(_("Invalid channel %(c)r (1, 2 or 3).") % {"c": channel})
    _check_channel(version, channel)
    _validate_applicant(applicant, at)
    checked = _check_documents(version, documents)
    if not 1 <= sets_count <= 50:
        raise InvalidInput(_("The number of sets must be between 1 and 50."), field="sets_count")
    competent = competent_unit or default_competent_unit(version, receiving_unit)
    is_desk_officer = has_role(actor, Role.DESK_OFFICER, receiving_unit)
    at_desk = channel in (Channel.DESK, Channel.POST)
    if at_desk and not is_desk_officer:
        raise NotAllowed(
            _("Only a desk officer of %(u)s may receive dossiers at this unit.")
            % {"u": receiving_unit.name}
        )
    dossier = Dossier(
        procedure_version=version,
        receiving_unit=receiving_unit,
        competent_unit=competent,
        channel=channel,
        status=Status.IN_PROGRESS if at_desk else Status.SUBMITTED,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_name_folded=fold(applicant.name),
        applicant_id_number=applicant.id_number,
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_user=None if is_desk_officer else actor,
        documents=checked,
        sets_count=sets_count,
        public_secret=f"{secrets.randbelow(10**6):06d}",
        submitted_at=at,
    )
    # Every agency the workflow needs must exist before anything is promised.
    desk = _agency_for(ONE_STOP_DESK, dossier)
    for ws in workflow_steps(dossier):
        _agency_for(ws.agency_kind.code, dossier)
    dossier.code = _next_code(desk, at)
    payload: dict[str, Any] = {"channel": channel}
    if at_desk:
        _set_due(dossier, at)
        assert dossier.due_at is not None
        payload["due_at"] = dossier.due_at.isoformat()
    verb = Verb.RECEIVE if at_desk else Verb.SUBMIT
    event = _new_event(
        dossier,
        verb=verb,
        actor=actor,
        from_status="",
        to_status=dossier.status,
        at=at,
        payload=payload,
    )
    dossier.save(force_insert=True)
    figures.record(None, FigureFields.of(dossier))
    event.dossier = dossier
    event.save(force_insert=True)
    if at_desk:
        step = _start_step(dossier, 1, at, cutoff=_cutoff(dossier))
        Dossier.objects.filter(pk=dossier.pk).update(current_step=step)
    _notify(dossier, str(verb), at, **payload)
    if idempotency is not None:
        IdempotencyKey.objects.create(
            user=actor,
            key=idempotency[0],
            request_hash=idempotency[1],
            dossier=dossier,
            created_at=at,
        )
    return dossier


def _set_due(dossier: Dossier, at: datetime) -> None:
    dossier.received_at = at
    dossier.due_at = _calendar(dossier).due(
        at, dossier.procedure_version.limit, cutoff=_cutoff(dossier), day_rule=_day_rule()
    )


def _start_clock(dossier: Dossier, at: datetime) -> None:
    _set_due(dossier, at)
    _start_step(dossier, 1, at, cutoff=_cutoff(dossier))


# --- the verbs -------------------------------------------------------------------------------


def accept(
    dossier: Dossier, *, actor: "User", at: datetime, expected_version: int | None = None
) -> Dossier:
    """Receive an online filing as complete: the clock starts (form 01 without paper)."""

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        _start_clock(d, ctx.at)
        assert d.due_at is not None
        return Status.IN_PROGRESS, {"due_at": d.due_at.isoformat()}

    return _run(Verb.ACCEPT, dossier, Context(actor, at), apply, expected_version=expected_version)


def request_supplement(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str,
    missing_documents: list[str],
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to complete the dossier (form 02); a running clock stops."""
    if not [m for m in missing_documents if m.strip()]:
        raise InvalidInput(
            _("List the documents to be supplemented or completed."), field="missing_documents"
        )

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        if d.status == Status.SUBMITTED and not has_role(
            ctx.actor, Role.DESK_OFFICER, d.receiving_unit
        ):
            raise NotAllowed(_("Only the one-stop desk may request a supplement at intake."))
        d.supplement_count += 1
        if d.received_at is not None:
            d.paused_at = ctx.at
        return Status.SUPPLEMENT_REQUESTED, {
            "missing_documents": [m.strip() for m in ctx.missing_documents if m.strip()],
            "clock": "paused" if d.received_at is not None else "not_started",
        }

    ctx = Context(actor, at, reason=reason, missing_documents=missing_documents)
    return _run(Verb.REQUEST_SUPPLEMENT, dossier, ctx, apply, expected_version=expected_version)


def supplement(
    dossier: Dossier, *, actor: "User", at: datetime, expected_version: int | None = None
) -> Dossier:
    """Record that the applicant completed the dossier: the clock resumes or restarts."""

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
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

    return _run(
        Verb.SUPPLEMENT, dossier, Context(actor, at), apply, expected_version=expected_version
    )


def refuse(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Refuse to receive the dossier, with reasons (form 03)."""

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        d.finished_at = ctx.at
        return Status.REFUSED, {}

    return _run(
        Verb.REFUSE,
        dossier,
        Context(actor, at, reason=reason),
        apply,
        expected_version=expected_version,
    )


def _advance(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
    assert d.current_step is not None
    payload = _finish_step(d, ctx.actor, ctx.at)
    nxt = d.current_step.position + 1
    status = _enter_step(d, nxt, ctx.at)
    payload["to_step"] = nxt
    return status, payload


def forward(
    dossier: Dossier, *, actor: "User", at: datetime, expected_version: int | None = None
) -> Dossier:
    """Hand the dossier to the next step of the workflow."""
    return _run(
        Verb.FORWARD, dossier, Context(actor, at), _advance, expected_version=expected_version
    )


def send_back(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Return the dossier to the previous step, with a reason."""

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        assert d.current_step is not None
        payload = _finish_step(d, ctx.actor, ctx.at)
        prev = d.current_step.position - 1
        _start_step(d, prev, ctx.at)
        payload["to_step"] = prev
        return Status.IN_PROGRESS, payload

    return _run(
        Verb.SEND_BACK,
        dossier,
        Context(actor, at, reason=reason),
        apply,
        expected_version=expected_version,
    )


def _decide(
    verb: Verb, outcome: Outcome, dossier: Dossier, ctx: Context, version: int | None
) -> Dossier:
    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        d.outcome = outcome
        return _advance(d, ctx)

    return _run(verb, dossier, ctx, apply, expected_version=version)


def approve(
    dossier: Dossier, *, actor: "User", at: datetime, expected_version: int | None = None
) -> Dossier:
    """Sign the decision granting the request; the dossier goes on to be issued."""
    return _decide(Verb.APPROVE, Outcome.GRANTED, dossier, Context(actor, at), expected_version)


def refuse_result(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Decide not to grant, with reasons in writing; the notice goes back through the desk."""
    ctx = Context(actor, at, reason=reason)
    return _decide(Verb.REFUSE_RESULT, Outcome.DENIED, dossier, ctx, expected_version)


def return_result(
    dossier: Dossier, *, actor: "User", at: datetime, expected_version: int | None = None
) -> Dossier:
    """Hand the result to the applicant and close the dossier."""

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        payload = _finish_step(d, ctx.actor, ctx.at)
        d.returned_at = ctx.at
        return Status.RETURNED, payload

    return _run(
        Verb.RETURN_RESULT, dossier, Context(actor, at), apply, expected_version=expected_version
    )


def stop(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Stop processing at the applicant's request (Decree 118 art. 21; form 05)."""

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        payload = _finish_step(d, ctx.actor, ctx.at) if d.current_step else {}
        d.finished_at = ctx.at
        if d.due_at is not None:
            # Stopping ends processing: it is judged against the appointment like a result
            # (DOMAIN.md §6: stopped and withdrawn dossiers are finished).
            clock_end = d.paused_at or ctx.at
            verdict = _calendar(d).classify_finished(clock_end, d.due_at)
            d.punctuality = Punctuality.LATE if d.reappointed else verdict
        d.paused_at = None
        return Status.STOPPED, payload

    return _run(
        Verb.STOP,
        dossier,
        Context(actor, at, reason=reason),
        apply,
        expected_version=expected_version,
    )


def apologize(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str,
    new_due: datetime,
    expected_version: int | None = None,
) -> Dossier:
    """Apologise for a delay and set the one new appointment (form 04); it stays late."""
    if new_due.tzinfo is None:
        raise InvalidInput(_("The new appointment must have a time zone."), field="new_due")

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
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

    ctx = Context(actor, at, reason=reason, new_due=new_due)
    return _run(Verb.APOLOGIZE, dossier, ctx, apply, expected_version=expected_version)


def cancel(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Cancel a dossier entered in error (administrators only, with a reason)."""

    def apply(d: Dossier, ctx: Context) -> tuple[str, dict[str, Any]]:
        payload = _finish_step(d, ctx.actor, ctx.at) if d.current_step else {}
        d.paused_at = None
        return Status.CANCELLED, payload

    return _run(
        Verb.CANCEL,
        dossier,
        Context(actor, at, reason=reason),
        apply,
        expected_version=expected_version,
    )


def perform(
    verb: str,
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    reason: str = "",
    new_due: datetime | None = None,
    missing_documents: list[str] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Dispatch a verb named by the API or a page to its action function."""
    try:
        v = Verb(verb)
    except ValueError:
        raise InvalidInput(_("Action %(v)r does not exist.") % {"v": verb}) from None
    common: dict[str, Any] = {"actor": actor, "at": at, "expected_version": expected_version}

    def apologize_() -> Dossier:
        if new_due is None:
            raise InvalidInput(_("A new appointment for the result is required."), field="new_due")
        return apologize(dossier, reason=reason, new_due=new_due, **common)

    handlers: dict[Verb, Callable[[], Dossier]] = {
        Verb.ACCEPT: lambda: accept(dossier, **common),
        Verb.SUPPLEMENT: lambda: supplement(dossier, **common),
        Verb.FORWARD: lambda: forward(dossier, **common),
        Verb.APPROVE: lambda: approve(dossier, **common),
        Verb.RETURN_RESULT: lambda: return_result(dossier, **common),
        Verb.REFUSE: lambda: refuse(dossier, reason=reason, **common),
        Verb.SEND_BACK: lambda: send_back(dossier, reason=reason, **common),
        Verb.REFUSE_RESULT: lambda: refuse_result(dossier, reason=reason, **common),
        Verb.STOP: lambda: stop(dossier, reason=reason, **common),
        Verb.CANCEL: lambda: cancel(dossier, reason=reason, **common),
        Verb.REQUEST_SUPPLEMENT: lambda: request_supplement(
            dossier, reason=reason, missing_documents=missing_documents or [], **common
        ),
        Verb.APOLOGIZE: apologize_,
    }
    if v not in handlers:
        raise InvalidInput(_("Action %(v)r cannot be used here.") % {"v": verb})
    return handlers[v]()
