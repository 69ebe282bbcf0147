"""What a payment provider offers the payments app; VNPay is the first (payments/vnpay.py).

A provider turns a pending payment into the URL the citizen is sent to, reads the gateway's
server-to-server notification into a `Notice` (checksum checked), and asks the gateway
about a payment (`query`) or to refund it (`refund`). PayGov, when it comes, is another
implementation of the same four calls.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from payments.models import Payment


class GatewayUnavailable(Exception):
    """The gateway did not answer in time, or answered something we cannot trust."""


@dataclass(frozen=True)
class Notice:
    """A notification from the gateway, once its checksum is verified."""

    txn_ref: str
    amount_vnd: int
    succeeded: bool
    provider_ref: str
    bank_code: str
    response_code: str


@dataclass(frozen=True)
class QueryAnswer:
    """The gateway's word on a payment: paid, failed, or still unknown to it / in progress."""

    state: str  # "paid", "failed", "pending", "not_found"
    amount_vnd: int = 0
    provider_ref: str = ""
    bank_code: str = ""
    response_code: str = ""


class Provider(Protocol):
    name: str

    def pay_url(self, payment: Payment, *, client_ip: str, return_url: str, now: datetime) -> str:
        """The gateway page the citizen is redirected to for this payment."""

    def read_notice(self, params: dict[str, str]) -> Notice | None:
        """The notice in the gateway's parameters, or None when the checksum is wrong."""

    def query(self, payment: Payment, *, now: datetime) -> QueryAnswer:
        """Ask the gateway about the payment; raise GatewayUnavailable on a timeout."""

    def refund(self, payment: Payment, *, by: str, now: datetime) -> bool:
        """Ask the gateway to refund the payment in full; True when it accepted."""
