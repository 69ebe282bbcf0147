"""Every change of a payment: asked online, settled by the gateway, recorded at the desk,
expired, refunded. One transaction each, the dossier locked first and then the payment
(always in that order), an event in the dossier's chain and outbox rows for the applicant.
"""

import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dossiers.access import actor_matches
from dossiers.actions import InvalidInput, InvalidTransition, NotAllowed, record_event
from dossiers.models import Dossier, DossierEvent, OutboxMessage, Status
from dossiers.rows import insert
from dossiers.workflow import Actor, Verb
from lib.numwords import vnd_figures
from payments.fees import summary
from payments.models import Method, Payment, PaymentStatus, ReceiptCounter
from payments.provider import GatewayUnavailable, Notice
from payments.vnpay import provider as get_provider

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Dossiers whose fees are given back: refused, stopped or cancelled (nothing was delivered).
REFUNDABLE_STATUSES = frozenset({Status.REFUSED, Status.STOPPED, Status.CANCELLED})

# The IPN's answers (VNPay's RspCode and Message).
CONFIRMED = ("00", "Confirm Success")
NOT_FOUND = ("01", "Order not found")
ALREADY = ("02", "Order already confirmed")
BAD_AMOUNT = ("04", "invalid amount")
BAD_CHECKSUM = ("97", "Invalid signature")
OTHER = ("99", "Unknown error")


def new_txn_ref(at: datetime) -> str:
    """A reference unique for ever: the local date, then 10 random hex digits."""
    return at.astimezone(VN).strftime("%y%m%d") + secrets.token_hex(5).upper()


def next_receipt_number(payment: Payment, at: datetime) -> str:
    """The unit's next electronic receipt number of the local year, 8 digits (in the
    caller's transaction: the counter row is locked until it commits)."""
    year = at.astimezone(VN).year
    row = ReceiptCounter.objects.filter(unit_id=payment.unit_id, year=year)
    # The UPDATE takes the row's lock; a unit's first receipt of the year makes the row.
    if not row.update(last=F("last") + 1):
        ReceiptCounter.objects.get_or_create(unit_id=payment.unit_id, year=year)
        row.update(last=F("last") + 1)
    return f"{row.values_list('last', flat=True).get():08d}"


def _lock_dossier(dossier_id: int, *, related: bool = True) -> Dossier:
    query = Dossier.objects.select_for_update(of=("self",))
    if related:
        query = query.select_related("receiving_unit", "procedure_version__procedure")
    return query.get(pk=dossier_id)


def _tell(dossier: Dossier, kind: str, at: datetime, **payload: Any) -> None:
    """Outbox rows for the applicant (sms and email, as dossiers/actions/outbox.py writes)."""
    base = {"code": dossier.code, "status": dossier.status, **payload}
    if "amount_vnd" in payload:
        base["amount"] = vnd_figures(payload["amount_vnd"])  # the templates' {amount}
    for channel, recipient in (
        ("sms", dossier.applicant_phone),
        ("email", dossier.applicant_email),
    ):
        if recipient:
            # One statement built once (dossiers/rows.py; the IPN's hot path, ADR 19), with
            # the save signals that queue the delivery.
            insert(
                OutboxMessage(
                    dossier=dossier,
                    kind=kind,
                    channel=channel,
                    recipient=recipient,
                    payload=base,
                    created_at=at,
                )
            )


def tell_payment_due(locked: Dossier, verb: Verb, at: datetime) -> None:
    """The engine's follow-up: a ready result with unpaid fees tells the applicant to pay."""
    if locked.status != Status.RESULT_READY:
        return
    owed = summary(locked).outstanding_vnd
    if owed > 0:
        _tell(locked, "payment_due", at, amount_vnd=owed)


def start_online(dossier: Dossier, *, provider: str, at: datetime) -> Payment:
    """The pending online payment of what the dossier still owes (the same one on a second
    click while it lasts). Raises InvalidInput when nothing is owed."""
    for _attempt in range(2):
        try:
            return _start_online(dossier, provider, at)
        except IntegrityError:
            # Another click's INSERT won the one-pending constraint (no lock on SQLite's
            # deferred path): read it on the next attempt.
            continue
    raise InvalidInput(_("The payment could not be started; try again."))


def _start_online(dossier: Dossier, provider: str, at: datetime) -> Payment:
    with transaction.atomic():
        locked = _lock_dossier(dossier.pk)
        if locked.status in REFUNDABLE_STATUSES:
            raise InvalidTransition(_("This dossier is closed; nothing is to be paid."))
        s = summary(locked)
        if s.outstanding_vnd <= 0:
            raise InvalidInput(_("Nothing is owed on this dossier."))
        pending = (
            Payment.objects.select_for_update()
            .filter(dossier=locked, status=PaymentStatus.PENDING, amount_vnd=s.outstanding_vnd)
            .first()
        )
        if pending is not None and pending.method == Method.ONLINE:
            if pending.expires_at is None or pending.expires_at > at:
                return pending
            # Left by a closed window and not yet reconciled: the gateway refuses it after
            # vnp_ExpireDate, so it can be given up here.
            pending.status = PaymentStatus.EXPIRED
            pending.save(update_fields=["status"])
        return Payment.objects.create(
            dossier=locked,
            unit=locked.receiving_unit,
            amount_vnd=s.outstanding_vnd,
            method=Method.ONLINE,
            provider=provider,
            txn_ref=new_txn_ref(at),
            payer_name=locked.applicant_name,
            lines=[line.as_json() for line in s.lines if line.owed_vnd],
            created_at=at,
            expires_at=at + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES),
        )


def settle(notice: Notice | None, *, at: datetime) -> tuple[str, str]:
    """Apply a gateway notice (None: its checksum was wrong); return (RspCode, Message).

    The only way an online payment becomes paid. Idempotent: the payment row is locked, so
    two notices (or a notice and the reconciliation) settle it once.
    """
    if notice is None:
        return BAD_CHECKSUM
    with connection.cursor() as cursor:
        cursor.execute(_FIND_PAYMENT, [notice.txn_ref])
        found = cursor.fetchone()
    if found is None:
        return NOT_FOUND
    pk, dossier_id = found
    with transaction.atomic():
        # The IPN is the hot path (bench `ipn`, ADR 19): a few fixed statements, no ORM query
        # building. Locks are taken dossier first, then payment, as everywhere.
        locked, digest = _lock_for_notice(dossier_id) if dossier_id else (None, None)
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_PAYMENT + _for_update(), [pk])
            amount_vnd, status, unit_id, receipt_number, method = cursor.fetchone()
        if amount_vnd != notice.amount_vnd:
            log.warning("payment %s: notice for %s VND", notice.txn_ref, notice.amount_vnd)
            return BAD_AMOUNT
        if status != PaymentStatus.PENDING:
            if status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
                # Expired or cancelled here: the books keep what they say, and the
                # gateway's claim is logged for the reconciliation to follow up.
                log.warning(
                    "payment %s is %s; gateway says %s",
                    notice.txn_ref,
                    status,
                    notice.response_code,
                )
            return ALREADY
        if not notice.succeeded:
            Payment.objects.filter(pk=pk).update(
                status=PaymentStatus.FAILED,
                provider_ref=notice.provider_ref,
                bank_code=notice.bank_code,
                response_code=notice.response_code,
            )
            return CONFIRMED
        receipt_number = receipt_number or _next_receipt(unit_id, at)
        with connection.cursor() as cursor:
            cursor.execute(
                _MARK_PAID,
                [
                    PaymentStatus.PAID,
                    connection.ops.adapt_datetimefield_value(at),
                    receipt_number,
                    notice.provider_ref,
                    notice.bank_code,
                    notice.response_code,
                    pk,
                ],
            )
        if locked is None:
            return CONFIRMED
        record_event(
            locked,
            verb=Verb.PAY,
            actor=None,
            at=at,
            payload={
                "payment": pk,
                "txn_ref": notice.txn_ref,
                "amount_vnd": amount_vnd,
                "method": method,
                "provider_ref": notice.provider_ref,
                "receipt_number": receipt_number,
            },
            unchanged_digest=digest,
        )
        _tell(
            locked,
            "payment_received",
            at,
            amount_vnd=amount_vnd,
            receipt_number=receipt_number,
        )
        return CONFIRMED


_PAYMENT = Payment._meta.db_table
_DOSSIER = Dossier._meta.db_table
_EVENT = DossierEvent._meta.db_table
_COUNTER = ReceiptCounter._meta.db_table
_FIND_PAYMENT = f"SELECT id, dossier_id FROM {_PAYMENT} WHERE txn_ref = %s"  # noqa: S608
_LOCK_PAYMENT = (
    f"SELECT amount_vnd, status, unit_id, receipt_number, method FROM {_PAYMENT} "  # noqa: S608
    "WHERE id = %s"
)
# What the event and the outbox rows read of the dossier (in the model's order, as
# Model.from_db wants), then the last event's state digest.
_READ = {"id", "code", "status", "event_count", "last_event_hash", "applicant_phone"}
_NOTICE_FIELDS = tuple(
    f.attname for f in Dossier._meta.concrete_fields if f.attname in _READ | {"applicant_email"}
)
_LOCK_DOSSIER = (
    f"SELECT {', '.join('d.' + f for f in _NOTICE_FIELDS)}, "  # noqa: S608
    f"(SELECT e.state_digest FROM {_EVENT} e WHERE e.dossier_id = d.id AND e.seq = d.event_count) "
    f"FROM {_DOSSIER} d WHERE d.id = %s"
)
_MARK_PAID = (
    f"UPDATE {_PAYMENT} SET status = %s, paid_at = %s, receipt_number = %s, "  # noqa: S608
    "provider_ref = %s, bank_code = %s, response_code = %s WHERE id = %s"
)
_NEXT_RECEIPT = (
    f"UPDATE {_COUNTER} SET last = last + 1 WHERE unit_id = %s AND year = %s "  # noqa: S608
    "RETURNING last"
)


def _for_update(of: str = "") -> str:
    """The row lock clause; none on SQLite, whose IMMEDIATE transaction holds the write lock."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"


def _lock_for_notice(dossier_id: int) -> tuple[Dossier, str | None]:
    """Lock the dossier's row; return it (only the fields a payment's event and outbox rows
    read: the others load on access) and its last event's state digest.

    The digest is None when that event is not visible to the statement (PostgreSQL, after
    waiting for another transaction's lock: the row is re-read, the subquery is not), and
    record_event then digests the rows: never a stale value, as `seq` is unique per dossier.
    """
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_DOSSIER + _for_update("d"), [dossier_id])
        *values, digest = cursor.fetchone()
    return Dossier.from_db(connection.alias, list(_NOTICE_FIELDS), values), digest


def _next_receipt(unit_id: int, at: datetime) -> str:
    """next_receipt_number in one statement (UPDATE ... RETURNING) once the counter exists."""
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_RECEIPT, [unit_id, at.astimezone(VN).year])
        row = cursor.fetchone()
    if row is None:  # the unit's first receipt of the year
        return next_receipt_number(Payment(unit_id=unit_id), at)
    return f"{row[0]:08d}"


def _mark_paid(
    payment: Payment, locked: Dossier | None, *, at: datetime, by: "User | None"
) -> None:
    payment.status = PaymentStatus.PAID
    payment.paid_at = at
    if not payment.receipt_number:
        payment.receipt_number = next_receipt_number(payment, at)
    payment.save(
        update_fields=[
            "status",
            "paid_at",
            "receipt_number",
            "provider_ref",
            "bank_code",
            "response_code",
        ]
    )
    if locked is None:
        return
    record_event(
        locked,
        verb=Verb.PAY,
        actor=by,
        at=at,
        payload={
            "payment": payment.pk,
            "txn_ref": payment.txn_ref,
            "amount_vnd": payment.amount_vnd,
            "method": payment.method,
            "provider_ref": payment.provider_ref,
            "receipt_number": payment.receipt_number,
        },
    )
    _tell(
        locked,
        "payment_received",
        at,
        amount_vnd=payment.amount_vnd,
        receipt_number=payment.receipt_number,
    )


def record_at_desk(
    dossier: Dossier,
    *,
    method: str,
    amount_vnd: int,
    receipt_number: str,
    reference: str = "",
    by: "User",
    at: datetime,
) -> Payment:
    """A cash or transfer payment taken by a desk officer of the receiving unit."""
    if method not in (Method.CASH, Method.TRANSFER):
        raise InvalidInput(_("Choose cash or bank transfer."), field="method")
    receipt_number = receipt_number.strip()
    if not receipt_number:
        raise InvalidInput(_("Enter the receipt number."), field="receipt_number")
    if method == Method.TRANSFER and not reference.strip():
        raise InvalidInput(_("Enter the bank transfer's reference."), field="reference")
    with transaction.atomic():
        locked = _lock_dossier(dossier.pk)
        if not actor_matches(by, locked, frozenset({Actor.DESK})):
            raise NotAllowed(_("Only the receiving desk records payments for this dossier."))
        owed = summary(locked).outstanding_vnd
        if amount_vnd <= 0 or amount_vnd > owed:
            raise InvalidInput(
                _("The amount must be between 1 and %(owed)s VND (what is still owed).")
                % {"owed": f"{owed:,}".replace(",", ".")},
                field="amount_vnd",
            )
        if Payment.objects.filter(
            unit=locked.receiving_unit, receipt_number=receipt_number
        ).exists():
            raise InvalidInput(
                _("Receipt number %(n)s is already used in this unit.") % {"n": receipt_number},
                field="receipt_number",
            )
        s = summary(locked)
        payment = Payment.objects.create(
            dossier=locked,
            unit=locked.receiving_unit,
            amount_vnd=amount_vnd,
            method=method,
            provider="desk",
            txn_ref=new_txn_ref(at),
            provider_ref=reference.strip()[:60],
            receipt_number=receipt_number,
            payer_name=locked.applicant_name,
            lines=[line.as_json() for line in s.lines if line.owed_vnd],
            created_at=at,
            recorded_by=by,
        )
        _mark_paid(payment, locked, at=at, by=by)
        return payment


def expire(payment: Payment, *, at: datetime) -> bool:
    """Give up a pending payment the gateway never completed; False if it moved meanwhile."""
    with transaction.atomic():
        if payment.dossier_id:
            _lock_dossier(payment.dossier_id)
        updated = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.EXPIRED
        )
    return bool(updated)


def fail(payment: Payment, *, response_code: str, at: datetime) -> bool:
    """The gateway says the payment failed; False if it moved meanwhile."""
    with transaction.atomic():
        if payment.dossier_id:
            _lock_dossier(payment.dossier_id)
        updated = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.FAILED, response_code=response_code[:4]
        )
    return bool(updated)


def refund(payment: Payment, *, by: "User | None", at: datetime) -> Payment:
    """Refund a paid payment of a refused, stopped or cancelled dossier.

    An online payment is refunded at the gateway first (outside the transaction: no lock is
    held over the network); it is marked refunded only once the gateway accepted.
    """
    if payment.status != PaymentStatus.PAID:
        raise InvalidTransition(_("Only a paid payment can be refunded."))
    dossier = payment.dossier
    if dossier is None or dossier.status not in REFUNDABLE_STATUSES:
        raise InvalidTransition(
            _("Fees are refunded only for a dossier refused, stopped or cancelled.")
        )
    if payment.method == Method.ONLINE:
        try:
            accepted = get_provider(payment.provider).refund(
                payment, by=by.username if by else "motcua", now=at
            )
        except GatewayUnavailable as exc:
            raise InvalidTransition(
                _("The payment gateway did not answer; try the refund again later.")
            ) from exc
        if not accepted:
            raise InvalidTransition(_("The payment gateway refused the refund."))
    with transaction.atomic():
        locked = _lock_dossier(dossier.pk)
        row = Payment.objects.select_for_update().get(pk=payment.pk)
        if row.status != PaymentStatus.PAID:
            return row
        row.status = PaymentStatus.REFUNDED
        row.refunded_at = at
        row.save(update_fields=["status", "refunded_at"])
        record_event(
            locked,
            verb=Verb.REFUND,
            actor=by,
            at=at,
            payload={"payment": row.pk, "txn_ref": row.txn_ref, "amount_vnd": row.amount_vnd},
        )
        return row
