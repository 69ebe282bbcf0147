"""Known answers for the VNPay 2.1.0 signatures, worked out by hand from the protocol.

The signed string below is written out from the documented rule (the official PHP sample):
the vnp_ parameters sorted by name, names and values URL-encoded as PHP's urlencode does
(space "+", "~" "%7E", ":" "%3A", "/" "%2F"), joined k=v with "&"; HMAC-SHA512, hex. The
hex digests were computed once from those literal strings and are pinned here.
"""

import hashlib
import hmac

from lib import vnpay

SECRET = "KATSECRET0123456789ABCDEFGHIJKLM"
PARAMS = {
    "vnp_Version": "2.1.0",
    "vnp_Command": "pay",
    "vnp_TmnCode": "MOTCUA01",
    "vnp_Amount": "7000000",
    "vnp_CurrCode": "VND",
    "vnp_TxnRef": "260315ABCDEF0123",
    "vnp_OrderInfo": "Thanh toan ho so H30.01-260315-0001 ~ phi",
    "vnp_OrderType": "billpayment",
    "vnp_Locale": "vn",
    "vnp_ReturnUrl": "http://127.0.0.1:8000/payments/vnpay/return",
    "vnp_IpAddr": "203.113.1.2",
    "vnp_CreateDate": "20260315103000",
}
SIGNED = (
    "vnp_Amount=7000000&vnp_Command=pay&vnp_CreateDate=20260315103000&vnp_CurrCode=VND"
    "&vnp_IpAddr=203.113.1.2&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+ho+so+H30.01-260315-0001+%7E+phi&vnp_OrderType=billpayment"
    "&vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8000%2Fpayments%2Fvnpay%2Freturn"
    "&vnp_TmnCode=MOTCUA01&vnp_TxnRef=260315ABCDEF0123&vnp_Version=2.1.0"
)
HASH = (
    "f1615a3d6f7bbb3dd6c8a59b2a28de55f18d937b5d3035eb92fae103fe9ac0efc60ce9ef7de9e735e630160a52"
    "31933e4cfa43eb63dbee44881ec8195356be5c"
)


def test_the_redirect_signs_the_sorted_encoded_parameters() -> None:
    assert vnpay.hash_data(PARAMS) == SIGNED
    assert hmac.new(SECRET.encode(), SIGNED.encode(), hashlib.sha512).hexdigest() == HASH
    assert vnpay.sign(PARAMS, SECRET) == HASH


def test_the_hash_fields_and_other_parameters_are_not_signed() -> None:
    extra = PARAMS | {"vnp_SecureHash": "x", "vnp_SecureHashType": "SHA512", "utm": "1"}
    assert vnpay.sign(extra, SECRET) == HASH


def test_verify_accepts_the_right_hash_and_nothing_else() -> None:
    assert vnpay.verify(PARAMS | {"vnp_SecureHash": HASH}, SECRET)
    assert vnpay.verify(PARAMS | {"vnp_SecureHash": HASH.upper()}, SECRET)
    assert not vnpay.verify(PARAMS | {"vnp_SecureHash": HASH[:-1] + "0"}, SECRET)
    assert not vnpay.verify(PARAMS | {"vnp_Amount": "7000100", "vnp_SecureHash": HASH}, SECRET)
    assert not vnpay.verify(PARAMS, SECRET)
    assert not vnpay.verify(PARAMS | {"vnp_SecureHash": HASH}, SECRET + "x")


def test_query_string_carries_the_hash_last() -> None:
    assert vnpay.query_string(PARAMS, SECRET) == f"{SIGNED}&vnp_SecureHash={HASH}"


def test_php_urlencode_differs_from_quote_plus_only_on_tilde() -> None:
    assert vnpay.php_urlencode("a b~c/é") == "a+b%7Ec%2F%C3%A9"


def test_the_querydr_checksum_joins_the_fixed_fields_with_bars() -> None:
    body = {
        "vnp_RequestId": "REQ1",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": "MOTCUA01",
        "vnp_TxnRef": "260315ABCDEF0123",
        "vnp_TransactionDate": "20260315103000",
        "vnp_CreateDate": "20260315110000",
        "vnp_IpAddr": "127.0.0.1",
        "vnp_OrderInfo": "querydr 260315ABCDEF0123",
    }
    expected = (
        "9190724b20c5009c383852f20fed5936f648518a0ba07a73c28bdffaf4826d3717c793a459db8b0ab3fbf5"
        "feb9018f1d0632437b6416df28a4d596208102883f"
    )
    assert vnpay.sign_fields(body, vnpay.QUERYDR_FIELDS, SECRET) == expected
    assert vnpay.verify_fields(body | {"vnp_SecureHash": expected}, vnpay.QUERYDR_FIELDS, SECRET)
    assert not vnpay.verify_fields(
        body | {"vnp_TxnRef": "other", "vnp_SecureHash": expected}, vnpay.QUERYDR_FIELDS, SECRET
    )
