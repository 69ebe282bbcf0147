"""The VNPay 2.1.0 signatures, pure: no Django, no I/O (docs/adr/0019-payments.md).

- The redirect and the IPN: the `vnp_` parameters except `vnp_SecureHash(Type)`, sorted by
  name, each name and value URL-encoded as PHP's `urlencode` does (space as `+`, everything
  but letters, digits and `-_.` as `%XX` of the UTF-8 bytes), joined `k=v` with `&`;
  HMAC-SHA512 with the merchant's secret, lower-case hex (the official PHP sample).
- The merchant API (querydr, refund) and its answers: the fields' values joined with `|` in
  a fixed order, HMAC-SHA512, hex.
"""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import quote_plus

HASH_FIELDS = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})

# The fixed orders of the merchant API's signed fields (VNPay's querydr/refund samples).
QUERYDR_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERYDR_ANSWER_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
REFUND_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
REFUND_ANSWER_FIELDS = QUERYDR_ANSWER_FIELDS[:13]


def php_urlencode(value: str) -> str:
    """Encode like PHP's urlencode: Python's quote_plus keeps `~`, PHP encodes it."""
    return quote_plus(value, safe="").replace("~", "%7E")


def hash_data(params: Mapping[str, str]) -> str:
    """The string the redirect and the IPN sign: sorted, encoded `k=v` joined with `&`."""
    items = sorted(
        (k, v) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS
    )
    return "&".join(f"{php_urlencode(k)}={php_urlencode(str(v))}" for k, v in items)


def hmac_hex(secret: str, data: str) -> str:
    """HMAC-SHA512 of `data` (UTF-8) with `secret`, lower-case hex."""
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def sign(params: Mapping[str, str], secret: str) -> str:
    """The `vnp_SecureHash` of a redirect or an IPN."""
    return hmac_hex(secret, hash_data(params))


def query_string(params: Mapping[str, str], secret: str) -> str:
    """The redirect's query: the encoded parameters then `vnp_SecureHash`."""
    return hash_data(params) + "&vnp_SecureHash=" + sign(params, secret)


def verify(params: Mapping[str, str], secret: str) -> bool:
    """True when the parameters carry their right `vnp_SecureHash` (constant-time compare)."""
    given = str(params.get("vnp_SecureHash", "")).lower()
    return hmac.compare_digest(given.encode(), sign(params, secret).encode())


def sign_fields(values: Mapping[str, object], order: Sequence[str], secret: str) -> str:
    """The merchant API's checksum: the values in `order` joined with `|` (missing: empty)."""
    data = "|".join("" if values.get(k) is None else str(values.get(k)) for k in order)
    return hmac_hex(secret, data)


def verify_fields(values: Mapping[str, object], order: Sequence[str], secret: str) -> bool:
    """True when `values["vnp_SecureHash"]` is the checksum of the fields in `order`."""
    given = str(values.get("vnp_SecureHash", "")).lower()
    return hmac.compare_digest(given.encode(), sign_fields(values, order, secret).encode())
