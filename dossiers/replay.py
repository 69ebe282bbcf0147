"""Recompute a dossier's figure-bearing fields from its event rows alone.

The report reads columns of the dossier row (received, due, finished instants, punctuality);
this module derives the same values from the append-only, hash-chained events, so a `verify`
can prove the figures equal a recomputation from the events.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dossiers import timeliness
from dossiers.actions.chain import chain_problems, current_state_digest
from dossiers.models import Dossier, DossierEvent, Status

RECEIPT_VERBS = {"receive", "accept"}
# The statuses that end processing; the first event into one sets `finished_at`. A refusal at
# receipt (an online dossier the desk does not accept) ends it too: the refuse verb stamps it.
FINISHED = {Status.RESULT_READY, Status.STOPPED, Status.REFUSED}
# Events that record something besides a transition (a file attached): no figure changes.
NOT_TRANSITIONS = {"attach"}


@dataclass
class Derived:
    status: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    punctuality: str | None

    def differences(self, d: Dossier) -> list[str]:
        """Name every field where the stored dossier disagrees with its events."""
        out = []
        for name in (
            "status",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "punctuality",
        ):
            if getattr(self, name) != getattr(d, name):
                out.append(
                    f"{name}: stored {getattr(d, name)!r}, events say {getattr(self, name)!r}"
                )
        return out


def derive(dossier: Dossier, events: list[DossierEvent]) -> Derived:
    """Replay the events of one dossier, in sequence."""
    status = ""
    received = due = finished = returned = paused = None
    reappointed = False
    for e in events:
        if e.verb in NOT_TRANSITIONS:
            continue
        payload: dict[str, Any] = e.payload or {}
        column = payload.get("column")
        if e.verb in RECEIPT_VERBS or column == "received_at":
            received = e.at
        if payload.get("due_at"):
            due = datetime.fromisoformat(payload["due_at"])
        if (e.verb == "request_supplement" and received) or column == "supplement_requested_at":
            paused = e.at
        if e.verb == "supplement" or column == "supplemented_at":
            paused = None
        if e.verb == "apologize":
            reappointed = True
        if e.to_status in FINISHED and finished is None:
            finished = e.at
        if e.to_status == Status.RETURNED:
            returned = e.at
        status = e.to_status
    punctuality = None
    if finished is not None and due is not None and status != Status.CANCELLED:
        # Processing that ended while the applicant was asked to supplement is judged at the
        # request: the clock had stopped then.
        ended = timeliness.clock_end(finished, paused)
        cal = timeliness.calendar_of(dossier)
        punctuality = timeliness.verdict(cal, ended, due, reappointed=reappointed).value
    return Derived(status, received, due, finished, returned, punctuality)


def audit_problems(dossier: Dossier, events: list[DossierEvent]) -> list[str]:
    """The keyed chain's findings for one dossier: MACs, the head, and the state digest of the
    last event against the applicant fields and step rows as they stand now."""
    problems = chain_problems(dossier, events)
    if not problems and events and events[-1].state_digest != current_state_digest(dossier):
        problems.append(
            "applicant fields or step rows differ from what the last event recorded "
            "(state digest mismatch)"
        )
    return problems


def verify(dossiers: Any, *, progress: Any = None) -> list[tuple[str, str]]:
    """Check every dossier's keyed chain and figure fields; return (code, problem) pairs."""
    problems: list[tuple[str, str]] = []
    qs = dossiers.select_related("receiving_unit").order_by("pk")
    total = qs.count()
    for i, d in enumerate(qs.iterator(chunk_size=500), start=1):
        events = list(d.events.order_by("seq"))
        problems.extend((d.code, p) for p in audit_problems(d, events))
        problems.extend((d.code, p) for p in derive(d, events).differences(d))
        if progress is not None:
            progress(i, total)
    return problems
