"""The VNPay 2.1.0 provider: the signed redirect, the IPN's parameters, querydr and refund.

The signatures are lib/vnpay.py's (pure, pinned by known-answer tests). Settings:
VNPAY_TMN_CODE, VNPAY_HASH_SECRET, VNPAY_PAY_URL, VNPAY_API_URL, VNPAY_TIMEOUT_SECONDS.
"""

import json
import secrets
import urllib.error
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from lib import vnpay as sig
from payments.models import Payment
from payments.provider import GatewayUnavailable, Notice, QueryAnswer

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "2.1.0"


def vn_stamp(at: datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, as every VNPay date is written."""
    return at.astimezone(VN).strftime("%Y%m%d%H%M%S")


def _amount(value: str) -> int | None:
    """VND from vnp_Amount (VND x 100); None when it is not a whole number of đồng."""
    if not value.isdigit():
        return None
    cents = int(value)
    return cents // 100 if cents % 100 == 0 else None


class VNPay:
    """The provider speaking VNPay 2.1.0 with the merchant code and secret of the settings."""

    name = "vnpay"

    @property
    def enabled(self) -> bool:
        """Configured: a merchant code and a secret (an empty key would sign anything)."""
        return bool(settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET)

    @property
    def secret(self) -> str:
        return str(settings.VNPAY_HASH_SECRET)

    def pay_url(self, payment: Payment, *, client_ip: str, return_url: str, now: datetime) -> str:
        code = payment.dossier.code if payment.dossier else payment.txn_ref
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": settings.VNPAY_TMN_CODE,
            "vnp_Amount": str(payment.amount_vnd * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.txn_ref,
            "vnp_OrderInfo": f"Thanh toan phi le phi ho so {code}",
            "vnp_OrderType": "billpayment",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": vn_stamp(payment.created_at),
        }
        if payment.expires_at is not None:
            params["vnp_ExpireDate"] = vn_stamp(payment.expires_at)
        return f"{settings.VNPAY_PAY_URL}?{sig.query_string(params, self.secret)}"

    def read_notice(self, params: dict[str, str]) -> Notice | None:
        if not self.enabled or not sig.verify(params, self.secret):
            return None
        amount = _amount(params.get("vnp_Amount", ""))
        code = params.get("vnp_ResponseCode", "")
        return Notice(
            txn_ref=params.get("vnp_TxnRef", ""),
            amount_vnd=-1 if amount is None else amount,
            succeeded=code == "00" and params.get("vnp_TransactionStatus") == "00",
            provider_ref=params.get("vnp_TransactionNo", "")[:60],
            bank_code=params.get("vnp_BankCode", "")[:20],
            response_code=code[:4],
        )

    def _post(self, body: dict[str, str], answer_fields: tuple[str, ...]) -> dict[str, str]:
        request = urllib.request.Request(  # noqa: S310 - the configured gateway URL
            settings.VNPAY_API_URL,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310 - the configured gateway URL
                request, timeout=settings.VNPAY_TIMEOUT_SECONDS
            ) as response:
                answer = json.loads(response.read())
        except (OSError, urllib.error.URLError, ValueError) as exc:
            raise GatewayUnavailable(str(exc)) from exc
        if not isinstance(answer, dict):
            raise GatewayUnavailable("the gateway's answer is not an object")
        answer = {k: "" if v is None else str(v) for k, v in answer.items()}
        if not sig.verify_fields(answer, answer_fields, self.secret):
            raise GatewayUnavailable("the gateway's answer has a wrong checksum")
        return answer

    def _base(self, command: str, payment: Payment, now: datetime) -> dict[str, str]:
        return {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": command,
            "vnp_TmnCode": settings.VNPAY_TMN_CODE,
            "vnp_TxnRef": payment.txn_ref,
            "vnp_OrderInfo": f"{command} {payment.txn_ref}",
            "vnp_TransactionDate": vn_stamp(payment.created_at),
            "vnp_CreateDate": vn_stamp(now),
            "vnp_IpAddr": "127.0.0.1",
        }

    def query(self, payment: Payment, *, now: datetime) -> QueryAnswer:
        body = self._base("querydr", payment, now)
        body["vnp_SecureHash"] = sig.sign_fields(body, sig.QUERYDR_FIELDS, self.secret)
        answer = self._post(body, sig.QUERYDR_ANSWER_FIELDS)
        code = answer.get("vnp_ResponseCode", "")
        if code == "91":  # transaction not found at the gateway (never reached it)
            return QueryAnswer("not_found", response_code=code)
        if code != "00":
            raise GatewayUnavailable(f"querydr answered {code}")
        status = answer.get("vnp_TransactionStatus", "")
        amount = _amount(answer.get("vnp_Amount", "")) or 0
        state = {"00": "paid", "01": "pending"}.get(status, "failed")
        return QueryAnswer(
            state,
            amount_vnd=amount,
            provider_ref=answer.get("vnp_TransactionNo", "")[:60],
            bank_code=answer.get("vnp_BankCode", "")[:20],
            response_code=status,
        )

    def refund(self, payment: Payment, *, by: str, now: datetime) -> bool:
        body = self._base("refund", payment, now)
        body |= {
            "vnp_TransactionType": "02",  # full refund
            "vnp_Amount": str(payment.amount_vnd * 100),
            "vnp_TransactionNo": payment.provider_ref,
            "vnp_CreateBy": by[:100] or "motcua",
        }
        body["vnp_SecureHash"] = sig.sign_fields(body, sig.REFUND_FIELDS, self.secret)
        answer = self._post(body, sig.REFUND_ANSWER_FIELDS)
        return answer.get("vnp_ResponseCode") == "00"


PROVIDERS = {"vnpay": VNPay()}


def provider(name: str) -> VNPay:
    """The provider registered under `name`."""
    return PROVIDERS[name]
