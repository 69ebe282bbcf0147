"""Delivery of outbox messages: claim, send through the channel's provider, record (ADR 17).

A message is claimed by one conditional UPDATE (waiting and due -> `sending` with a lease), so
two workers never send the same one. The claimant renders and sends it, then writes the outcome
and one `Attempt` row in one transaction, guarded by its attempt number: a worker whose lease
expired (killed mid-send, or too slow) cannot overwrite a later claimant. The periodic sweep
queues messages whose task was lost and takes back expired leases; the gateway drops a repeated
send by the message's reference. Temporary failures are retried with exponential back-off until
NOTIFY_RETRY_HOURS after the message was written, then become technical failures.
"""

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from dossiers.choices import MessageStatus
from dossiers.models import Dossier, OutboxMessage
from jobs.retry import Backoff
from lib.ttl import TtlCache
from notify.bulk import update_outcomes
from notify.models import Attempt, OptOut, Switch, Template
from notify.providers import Outcome, email, sms, zalo
from notify.render import TemplateProblem, render, values_for

logger = logging.getLogger(__name__)

WAITING = (MessageStatus.CREATED, MessageStatus.TEMPORARY_FAILURE)
FINAL = frozenset(
    {
        MessageStatus.DELIVERED,
        MessageStatus.PERMANENT_FAILURE,
        MessageStatus.TECHNICAL_FAILURE,
        MessageStatus.HISTORICAL,
    }
)
SWITCHED_OFF = "switched off"
OPTED_OUT = "opted out"
# Messages about the account itself (one-time codes) go out whatever the opt-outs say.
PROVIDERS = {"sms": sms.send, "email": email.send, "zalo": zalo.send}

_history: ContextVar[bool] = ContextVar("notify_history", default=False)


@contextmanager
def history() -> Iterator[None]:
    """Rows written inside are history (`historical`): never queued nor sent (the demo's)."""
    token = _history.set(True)
    try:
        yield
    finally:
        _history.reset(token)


def writing_history() -> bool:
    return _history.get()


def backoff() -> Backoff:
    """Waits of NOTIFY_RETRY_BASE_SECONDS doubling up to 30 minutes; the window ends them."""
    return Backoff(
        base=timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS),
        factor=2,
        cap=timedelta(minutes=30),
        max_attempts=10_000,
    )


def lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)


def claim(message_id: int, now: datetime) -> bool:
    """Take the message if it waits and is due, or its lease expired; one taker wins.

    The taker then reads the message's attempt number and writes its outcome under it.
    """
    due = Q(status__in=WAITING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    lost = Q(status=MessageStatus.SENDING, sent_at__isnull=True, lease_until__lt=now)
    taken = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(due | lost)
        .update(status=MessageStatus.SENDING, lease_until=now + lease(), attempts=F("attempts") + 1)
    )
    return taken == 1


@dataclass(frozen=True)
class Rules:
    """The templates by (event, channel) and the switches, read together."""

    templates: dict[tuple[str, str], Template]
    switches: list[tuple[int | None, str, str, bool]]


# Read on every send; an edit in the admin clears it here and is seen by other workers within
# a few seconds (lib.ttl).
_rules: TtlCache[Rules] = TtlCache("notify-rules")


def _load_rules() -> Rules:
    return Rules(
        templates={(t.event, t.channel): t for t in Template.objects.all()},
        switches=list(Switch.objects.values_list("unit_id", "event", "channel", "enabled")),
    )


def rules() -> Rules:
    found = _rules.get("all", _load_rules)
    assert found is not None
    return found


def forget_rules(*_args: object, **_kwargs: object) -> None:
    _rules.clear()


def switched_off(message: OutboxMessage) -> bool:
    """Whether the most specific switch matching unit, event and channel is off."""
    unit_id = message.dossier.receiving_unit_id if message.dossier else None
    rows = [
        r
        for r in rules().switches
        if r[0] in (None, unit_id) and r[1] in ("", message.kind) and r[2] in ("", message.channel)
    ]
    best = max(rows, key=lambda r: (r[0] is not None, r[1] != "", r[2] != ""), default=None)
    return best is not None and not best[3]


def _opt_out_user(message: OutboxMessage) -> int | None:
    """The account whose opt-outs apply to the message, if any."""
    if message.channel == "app" or message.dossier is None:
        return None
    return message.user_id or message.dossier.applicant_user_id


def opted_out(message: OutboxMessage, known: set[tuple[int, str]] | None = None) -> bool:
    """A message about a dossier, on a channel its citizen opted out of (never `app`).

    `known` is the (user, channel) opt-outs already read for a batch; without it, one query.
    """
    user_id = _opt_out_user(message)
    if user_id is None:
        return False
    if known is not None:
        return (user_id, message.channel) in known
    return OptOut.objects.filter(user_id=user_id, channel=message.channel).exists()


def _send(message: OutboxMessage, known: set[tuple[int, str]] | None = None) -> Outcome:
    """Decide, render and send one claimed message; never raises for the message's fault."""
    if switched_off(message):
        return Outcome(MessageStatus.PERMANENT_FAILURE, detail=SWITCHED_OFF)
    if opted_out(message, known):
        return Outcome(MessageStatus.PERMANENT_FAILURE, detail=OPTED_OUT)
    if message.channel == "app":
        return Outcome(MessageStatus.DELIVERED)
    provider = PROVIDERS.get(message.channel)
    if provider is None:
        return Outcome(MessageStatus.PERMANENT_FAILURE, detail=f"no channel {message.channel}")
    template = rules().templates.get((message.kind, message.channel))
    if template is None:
        return Outcome(MessageStatus.PERMANENT_FAILURE, detail="no template for this event")
    try:
        text = render(template.subject, template.body, values_for(message), channel=message.channel)
    except TemplateProblem as problem:
        return Outcome(MessageStatus.PERMANENT_FAILURE, detail=str(problem)[:200])
    return provider(message, text, template)


def deliver(message_id: int, now: datetime | None = None) -> str | None:
    """Claim, send and record one message; its new status, or None if not ours to send."""
    now = now or timezone.now()
    if not claim(message_id, now):
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    if message.dossier_id is not None:
        # Read only when needed: the joins cost more than the send on the fast path.
        message.dossier = Dossier.objects.select_related(
            "procedure_version__procedure", "receiving_unit"
        ).get(pk=message.dossier_id)
    attempt = message.attempts  # ours: nobody else changes it while we hold the lease
    try:
        outcome = _send(message)
    except Exception:  # a bug in a provider: the message is not lost, it is retried
        logger.exception("sending outbox message %s", message_id)
        outcome = Outcome(MessageStatus.TEMPORARY_FAILURE, detail="internal error")
    return record(message, attempt, outcome, now)


def _due_or_lost(now: datetime) -> Q:
    due = Q(status__in=WAITING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    lost = Q(status=MessageStatus.SENDING, sent_at__isnull=True, lease_until__lt=now)
    return due | lost


def claim_batch(now: datetime, limit: int) -> tuple[list[OutboxMessage], bool]:
    """Take up to `limit` due (or lost) messages with one conditional UPDATE; one taker each.

    The claimant's lease end is its stamp: `now + lease` plus a random number of microseconds,
    so the rows it took are those the UPDATE left with exactly that `lease_until` (no other
    claimant writes the same instant). Returns the messages taken (dossier joined), and whether
    candidates were found at all (another worker may have taken them all first).
    """
    ids = list(
        OutboxMessage.objects.filter(_due_or_lost(now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return [], False
    stamp = now + lease() + timedelta(microseconds=random.randrange(1_000_000))  # noqa: S311
    OutboxMessage.objects.filter(pk__in=ids).filter(_due_or_lost(now)).update(
        status=MessageStatus.SENDING, lease_until=stamp, attempts=F("attempts") + 1
    )
    taken = list(
        OutboxMessage.objects.filter(pk__in=ids, status=MessageStatus.SENDING, lease_until=stamp)
        .select_related("dossier__procedure_version__procedure", "dossier__receiving_unit")
        .order_by("pk")
    )
    return taken, True


def _release(messages: list[OutboxMessage], now: datetime) -> None:
    """Give back claimed messages not sent (the batch ran out of time): due again at once."""
    OutboxMessage.objects.filter(
        pk__in=[m.pk for m in messages], status=MessageStatus.SENDING, sent_at__isnull=True
    ).filter(lease_until=messages[0].lease_until).update(
        lease_until=now - timedelta(microseconds=1)
    )


def deliver_batch(now: datetime | None = None, limit: int | None = None) -> list[str | None] | None:
    """Claim up to `limit` due messages, send them, record them together; their statuses
    (None for one a later claimant has), or None when no message was due at all.

    The sends stop at half the lease (a slow gateway): what is left is released for the next
    claim rather than left to expire.
    """
    now = now or timezone.now()
    taken, found = claim_batch(now, limit or settings.NOTIFY_BATCH_SIZE)
    if not found:
        return None
    if not taken:
        return []
    users = {u for m in taken if (u := _opt_out_user(m)) is not None}
    known = (
        set(OptOut.objects.filter(user_id__in=users).values_list("user_id", "channel"))
        if users
        else set()
    )
    until = time.monotonic() + settings.NOTIFY_LEASE_SECONDS / 2
    sends: list[tuple[OutboxMessage, int, Outcome]] = []
    for k, message in enumerate(taken):
        if time.monotonic() > until:
            _release(taken[k:], now)
            break
        try:
            outcome = _send(message, known)
        except Exception:  # a bug in a provider: the message is not lost, it is retried
            logger.exception("sending outbox message %s", message.pk)
            outcome = Outcome(MessageStatus.TEMPORARY_FAILURE, detail="internal error")
        sends.append((message, message.attempts, outcome))
    return record_batch(sends, taken[0].lease_until, now)


def deliver_due_now(limit: int | None = None) -> int:
    """Deliver batches until no message is due; how many this process sent."""
    sent = 0
    while (statuses := deliver_batch(timezone.now(), limit)) is not None:
        sent += sum(1 for status in statuses if status is not None)
    return sent


def _outcome_changes(
    message: OutboxMessage, attempt: int, outcome: Outcome, now: datetime
) -> tuple[str, dict[str, object], datetime | None]:
    """The status, the columns to write and the retry time of a send's outcome."""
    changes: dict[str, object] = {"lease_until": None, "error": outcome.detail}
    status = outcome.status
    retry_at = None
    if status == MessageStatus.TEMPORARY_FAILURE:
        retry_at = backoff().next_run(attempt, now)
        deadline = message.created_at + timedelta(hours=settings.NOTIFY_RETRY_HOURS)
        if retry_at is None or retry_at > deadline:
            status, retry_at = MessageStatus.TECHNICAL_FAILURE, None
        changes["next_attempt_at"] = retry_at
    if status in (MessageStatus.SENDING, MessageStatus.DELIVERED):
        changes["sent_at"] = now
    if status == MessageStatus.DELIVERED:
        changes["delivered_at"] = now
    if outcome.provider_id:
        changes["provider_id"] = outcome.provider_id
    # A one-time code (a message with no dossier) is kept only while it may still be sent.
    keep = status == MessageStatus.TEMPORARY_FAILURE
    if message.dossier_id is None and not keep and message.payload.get("code"):
        changes["payload"] = {**message.payload, "code": ""}
    return status, changes, retry_at


def record(message: OutboxMessage, attempt: int, outcome: Outcome, now: datetime) -> str | None:
    """Write a send's outcome under `attempt`; None if a later claimant has the message."""
    return record_many([(message, attempt, outcome)], now)[0]


def record_many(sends: list[tuple[OutboxMessage, int, Outcome]], now: datetime) -> list[str | None]:
    """Write sends' outcomes in one transaction, each under its attempt number.

    Each message's status, or None where a later claimant has it (its lease expired); the
    history rows go in one INSERT, and one wake-up is queued for the earliest retry.
    """
    written: list[str | None] = []
    attempts: list[Attempt] = []
    retries: list[datetime] = []
    with transaction.atomic():
        for message, attempt, outcome in sends:
            status, changes, retry_at = _outcome_changes(message, attempt, outcome, now)
            updated = OutboxMessage.objects.filter(
                pk=message.pk, status=MessageStatus.SENDING, attempts=attempt
            ).update(status=status, **changes)
            if updated != 1:
                written.append(None)
                continue
            written.append(status)
            attempts.append(
                Attempt(message_id=message.pk, at=now, status=status, detail=outcome.detail[:200])
            )
            if retry_at is not None:
                retries.append(retry_at)
        Attempt.objects.bulk_create(attempts)
        if retries:
            first = min(retries)
            transaction.on_commit(lambda: deliver_due.using(run_after=first).enqueue())
    return written


def record_batch(
    sends: list[tuple[OutboxMessage, int, Outcome]], stamp: datetime | None, now: datetime
) -> list[str | None]:
    """Write a batch's outcomes as `record_many` does, with a few statements for the batch.

    The rows still carrying the claim's `stamp` are ours; a no-op UPDATE of them first takes
    their locks (SQLite: the database's write lock), so no claimant can take one between that
    and the bulk UPDATE of their outcomes.
    """
    if not sends:
        return []
    pks = [message.pk for message, _, _ in sends]
    written: list[str | None] = []
    attempts: list[Attempt] = []
    retries: list[datetime] = []
    with transaction.atomic():
        mine = OutboxMessage.objects.filter(
            pk__in=pks, status=MessageStatus.SENDING, lease_until=stamp
        )
        if mine.update(lease_until=stamp) == len(pks):
            ours = set(pks)
        else:  # some leases expired and were taken again: theirs now
            ours = set(mine.values_list("pk", flat=True))
        bulk: list[tuple[OutboxMessage, dict[str, object]]] = []
        for message, attempt, outcome in sends:
            if message.pk not in ours or message.attempts != attempt:
                written.append(None)
                continue
            status, changes, retry_at = _outcome_changes(message, attempt, outcome, now)
            if "payload" in changes:  # rare (a one-time code): its own statement
                OutboxMessage.objects.filter(pk=message.pk).update(status=status, **changes)
            else:
                bulk.append((message, {**changes, "status": status}))
            written.append(status)
            attempts.append(
                Attempt(message_id=message.pk, at=now, status=status, detail=outcome.detail[:200])
            )
            if retry_at is not None:
                retries.append(retry_at)
        update_outcomes(bulk)
        Attempt.objects.bulk_create(attempts)
        if retries:
            first = min(retries)
            transaction.on_commit(lambda: deliver_due.using(run_after=first).enqueue())
    return written


def report(provider_id: str, status: str, now: datetime, detail: str = "") -> bool:
    """A delivery report from a gateway: a `sending` message becomes delivered or failed."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(provider_id=provider_id, status=MessageStatus.SENDING)
            .exclude(sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        changes: dict[str, object] = {"status": status, "error": detail[:200]}
        if status == MessageStatus.DELIVERED:
            changes["delivered_at"] = now
        OutboxMessage.objects.filter(pk=message.pk).update(**changes)
        Attempt.objects.create(message=message, at=now, status=status, detail=detail[:200])
    return True


def sweep(now: datetime, limit: int = 1000) -> int:
    """Queue messages due whose task was lost, and expired leases; fail those out of time.

    Returns how many were queued. A message written a moment ago has its own task coming.
    """
    deadline = now - timedelta(hours=settings.NOTIFY_RETRY_HOURS)
    expired = OutboxMessage.objects.filter(
        Q(status__in=WAITING) | Q(status=MessageStatus.SENDING, sent_at__isnull=True),
        created_at__lt=deadline,
    ).exclude(lease_until__gte=now)
    with transaction.atomic():
        ids = list(expired.values_list("pk", flat=True)[:limit])
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=MessageStatus.TECHNICAL_FAILURE, lease_until=None, error="out of time"
        )
        Attempt.objects.bulk_create(
            Attempt(
                message_id=pk, at=now, status=MessageStatus.TECHNICAL_FAILURE, detail="out of time"
            )
            for pk in ids
        )
    grace = now - timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    due = Q(status__in=WAITING) & (
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lt=grace)
    )
    lost = Q(status=MessageStatus.SENDING, sent_at__isnull=True, lease_until__lt=now)
    ids = list(
        OutboxMessage.objects.filter(due | lost)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        deliver_due.enqueue()
    return len(ids)


@task()
def deliver_message(message_id: int) -> str | None:
    """One message (the task queued per message before batches; kept for queued ones)."""
    return deliver(message_id)


@task()
def deliver_due() -> int:
    """Wake-up queued after a transaction wrote messages (and by the sweep, for retries):
    delivers every due message in batches (NOTIFY_BATCH_SIZE)."""
    return deliver_due_now()


@task()
def sweep_outbox() -> int:
    """Periodic task (PERIODIC_TASKS "notify-sweep")."""
    return sweep(timezone.now())
