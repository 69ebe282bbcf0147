"""The keyed chain of a dossier's events (docs/adr/0009-audit-trail.md).

Every event row carries an HMAC-SHA256, under a key kept outside the database
(settings.AUDIT_KEY or the file AUDIT_KEY_FILE), of the MAC before it, its own fields and a
keyed digest of the dossier's applicant fields, received documents and step rows as they stand
after the transition. Someone who can write the database but not read the key can neither
recompute a chain after an edit nor change applicant fields or steps without the last event's
digest disagreeing with the rows. The dossier row holds the chain head (`event_count`,
`last_event_hash`); `audit.checkpoints` copies the heads outside the database.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from dossiers.models import Dossier, DossierEvent, DossierStep
from dossiers.rows import insert

if TYPE_CHECKING:
    from accounts.models import User

# What the state digest covers: the applicant's fields of the dossier row, its received
# documents, and every column of its step rows that records who did what when.
APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "applicant_user_id",
    "documents",
    "sets_count",
)
STEP_FIELDS = (
    "id",
    "position",
    "name",
    "agency_id",
    "role",
    "allotted_hours",
    "started_at",
    "due_at",
    "finished_at",
    "finished_by_id",
    "punctuality",
)


@lru_cache(maxsize=4)
def _load_key(key: str, key_file: str, require: bool, secret_key: str) -> bytes:
    if key:
        return key.encode()
    path = Path(key_file) if key_file else None
    if path is not None and path.is_file():
        data = path.read_bytes().strip()
        if len(data) < 32:
            raise ImproperlyConfigured(f"AUDIT_KEY_FILE {path} holds fewer than 32 bytes.")
        return data
    if require:
        raise ImproperlyConfigured("AUDIT_KEY or AUDIT_KEY_FILE must be set in production.")
    # Development only (REQUIRE_SECRET_KEY false): a key derived from SECRET_KEY, which is
    # outside the database too, so a fresh checkout runs before `make_demo_pki`.
    return hashlib.sha256(b"motcua-audit-dev:" + secret_key.encode()).digest()


def audit_key() -> bytes:
    """The chain's key: AUDIT_KEY, else the bytes of AUDIT_KEY_FILE (development: derived)."""
    return _load_key(
        settings.AUDIT_KEY,
        settings.AUDIT_KEY_FILE,
        settings.REQUIRE_SECRET_KEY,
        settings.SECRET_KEY,
    )


def _canonical(value: Any) -> Any:
    # Instants in UTC and decimals with two places: what the database gives back must MAC the
    # same as what the action held in memory.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _mac(body: Any) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)
    return hmac.new(audit_key(), text.encode(), hashlib.sha256).hexdigest()


def state_digest(dossier: Dossier, steps: Iterable[DossierStep]) -> str:
    """Keyed digest of the dossier's applicant fields, documents and step rows."""
    rows = sorted(steps, key=lambda s: s.pk)
    return _mac(
        {
            "applicant": [_canonical(getattr(dossier, f)) for f in APPLICANT_FIELDS],
            "steps": [[_canonical(getattr(s, f)) for f in STEP_FIELDS] for s in rows],
        }
    )


def current_state_digest(dossier: Dossier) -> str:
    """The state digest of the dossier's rows as they stand in the database (one query)."""
    return state_digest(dossier, DossierStep.objects.filter(dossier_id=dossier.pk))


def _event_mac(prev: str, code: str, e: DossierEvent) -> str:
    fields = [code, e.seq, e.verb, e.actor_id, e.from_status, e.to_status, e.reason, e.at]
    return _mac([prev, *map(_canonical, fields), e.payload, e.state_digest])


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
    steps: Iterable[DossierStep] | None = None,
    digest: str | None = None,
) -> DossierEvent:
    """Build (unsaved) the next event of the dossier and advance its chain head.

    `steps` are the dossier's step rows after the transition; when omitted they are read
    from the database (one query), so write them first. `digest`, when given, is the state
    digest itself (an event that changes no digested row carries its predecessor's).
    """
    if digest is None:
        if steps is None:
            steps = DossierStep.objects.filter(dossier_id=dossier.pk) if dossier.pk else []
        digest = state_digest(dossier, steps)
    seq = dossier.event_count + 1
    prev = dossier.last_event_hash
    event = DossierEvent(
        dossier=dossier,
        seq=seq,
        verb=verb,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        at=at,
        payload=payload or {},
        prev_hash=prev,
        state_digest=digest,
    )
    event.hash = _event_mac(prev, dossier.code, event)
    dossier.event_count = seq
    dossier.last_event_hash = event.hash
    return event


def _append_event(dossier: Dossier, **kwargs: Any) -> DossierEvent:
    """Write the next event of the dossier (its steps read after the applier wrote them)."""
    event = _new_event(dossier, **kwargs)
    insert(event)  # one statement built once (dossiers/rows.py): events are the hot path
    return event


def record_event(
    locked: Dossier,
    *,
    verb: str,
    actor: "User | None",
    at: datetime,
    payload: dict[str, Any],
    unchanged_digest: str | None = None,
) -> DossierEvent:
    """Append an event that changes no status (a file, a payment) to a dossier locked by the
    caller's transaction, and write the chain head on its row.

    `unchanged_digest`: the last event's state digest, from a caller whose event changes no
    applicant field, document or step (a payment). It is carried forward instead of read
    from the rows again: the same value on an intact dossier, and rows edited behind the
    application's back stay at odds with the chain instead of being sealed by this event.
    """
    event = _append_event(
        locked,
        verb=verb,
        actor=actor,
        from_status=locked.status,
        to_status=locked.status,
        at=at,
        payload=payload,
        digest=unchanged_digest or None,
    )
    with connection.cursor() as cursor:
        cursor.execute(_SET_HEAD, [locked.event_count, locked.last_event_hash, locked.pk])
    return event


# The chain head of a dossier, written after a non-transition event (a fixed statement).
_SET_HEAD = (
    f"UPDATE {Dossier._meta.db_table} SET event_count = %s, last_event_hash = %s "  # noqa: S608
    "WHERE id = %s"
)


def chain_problems(dossier: Dossier, events: list[DossierEvent] | None = None) -> list[str]:
    """Recompute the dossier's chain with the key; name what disagrees (empty: intact)."""
    if events is None:
        events = list(dossier.events.order_by("seq"))
    problems = []
    prev = ""
    for expected_seq, e in enumerate(events, start=1):
        if e.seq != expected_seq:
            problems.append(f"event #{expected_seq} is missing")
            break
        if e.prev_hash != prev or e.hash != _event_mac(prev, dossier.code, e):
            problems.append(f"event #{e.seq}: MAC mismatch (edited, or chain recomputed)")
            break
        prev = e.hash
    if not problems and (len(events), prev) != (dossier.event_count, dossier.last_event_hash):
        problems.append(
            f"chain head on the dossier row ({dossier.event_count} events) does not match "
            f"its {len(events)} event rows"
        )
    return problems


def verify_chain(dossier: Dossier) -> bool:
    """Recompute the event MACs of a dossier and tell whether the chain is intact."""
    return not chain_problems(dossier)


def rekey(dossier: Dossier) -> int:
    """Recompute every event's state digest and MAC with the current key; return the count.

    Trusts the rows as they are: run only on a database known to be intact (ADR 9). The
    state digest of every event is today's, as earlier states are not kept.
    """
    steps = list(DossierStep.objects.filter(dossier_id=dossier.pk))
    digest = state_digest(dossier, steps)
    prev = ""
    events = list(dossier.events.order_by("seq"))
    for e in events:
        e.prev_hash = prev
        e.state_digest = digest
        e.hash = _event_mac(prev, dossier.code, e)
        prev = e.hash
    DossierEvent.objects.bulk_update(events, ["prev_hash", "state_digest", "hash"])
    Dossier.objects.filter(pk=dossier.pk).update(event_count=len(events), last_event_hash=prev)
    return len(events)
