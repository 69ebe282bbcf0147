"""The hash chain of a dossier's events: every event row carries the hash of the one before."""

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dossiers.models import Dossier, DossierEvent

if TYPE_CHECKING:
    from accounts.models import User


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
