"""Payments left pending, asked about at the gateway (querydr) and settled, failed or expired.

The periodic `reconcile_task` (settings.PERIODIC_TASKS, ADR 7) runs `reconcile(now)`. A
gateway that times out leaves the payment pending for the next run; settling goes through
`actions.settle`, under the payment's lock, so two workers reconciling at once (or a late
IPN) settle a payment once.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from payments import actions
from payments.models import Method, Payment, PaymentStatus
from payments.provider import GatewayUnavailable, Notice
from payments.vnpay import provider

log = logging.getLogger(__name__)

# A payment younger than this is left to its IPN: the citizen may still be on the page.
GRACE = timedelta(minutes=2)


@dataclass
class Outcome:
    """What one reconciliation run did, by result."""

    paid: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def reconcile(now: datetime, *, limit: int = 200) -> Outcome:
    """Query the gateway about pending online payments older than GRACE and apply its word."""
    out = Outcome()
    pending = Payment.objects.filter(
        status=PaymentStatus.PENDING, method=Method.ONLINE, created_at__lt=now - GRACE
    ).order_by("created_at")[:limit]
    for payment in pending:
        try:
            answer = provider(payment.provider).query(payment, now=now)
        except GatewayUnavailable as exc:
            log.warning("querydr %s: %s; left pending", payment.txn_ref, exc)
            out.unreachable.append(payment.txn_ref)
            continue
        if answer.state == "paid":
            notice = Notice(
                txn_ref=payment.txn_ref,
                amount_vnd=answer.amount_vnd,
                succeeded=True,
                provider_ref=answer.provider_ref,
                bank_code=answer.bank_code,
                response_code="00",
            )
            code, _message = actions.settle(notice, at=now)
            (out.paid if code == "00" else out.unchanged).append(payment.txn_ref)
        elif answer.state == "failed":
            if actions.fail(payment, response_code=answer.response_code, at=now):
                out.failed.append(payment.txn_ref)
        elif payment.expires_at is not None and payment.expires_at <= now:
            # Not paid at the gateway and past vnp_ExpireDate: the window was closed.
            if actions.expire(payment, at=now):
                out.expired.append(payment.txn_ref)
        else:
            out.unchanged.append(payment.txn_ref)
    return out


@task()
def reconcile_task() -> dict[str, int]:
    """Periodic task: reconcile the pending payments now."""
    out = reconcile(timezone.now())
    return {name: len(refs) for name, refs in vars(out).items()}
