"""A small payment gateway speaking VNPay 2.1.0, standing in for VNPay in the demo and tests.

    python -m demo.peers.vnpay --port 8030 [--ipn-url URL] [--test-controls]

- GET /paymentv2/vpcpay.html?vnp_...: checks the merchant code and the signature, then shows
  a payment page with Pay, Fail and Abandon buttons. Pay and Fail call the merchant's IPN
  (`--ipn-url`) with signed parameters, then send the browser to vnp_ReturnUrl with the same
  parameters; Abandon leaves the payment unfinished (the citizen closed the window).
- POST /merchant_webapi/api/transaction: querydr and refund, JSON, checksums over `|`-joined
  fields, signed answers.

Its signing is written here again from the protocol, on purpose independent of motcua's
lib/vnpay.py, so the tests can check that the two agree. Standard library only, no Django.

`--test-controls` adds POST /_test/notice {"txn_ref", "outcome": "pay"|"fail", "spoil":
"checksum"|"amount"|""} (answers the signed IPN parameters, and calls the IPN URL if set) and
POST /_test/next {"mode": "timeout"|""} (the next API call is held until the caller gave up).
It prints "listening on <url>" once ready.
"""

import argparse
import hashlib
import hmac
import html
import json
import secrets
import threading
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

GMT7 = timedelta(hours=7)
HOLD_SECONDS = 30  # a "timeout" answer waits this long at most (the test's client gives up first)


def _stamp(at: datetime) -> str:
    return (at.astimezone(UTC) + GMT7).strftime("%Y%m%d%H%M%S")


def _encode(text: str) -> str:
    # PHP urlencode, which VNPay's samples use: spaces as "+", "~" encoded too.
    return quote_plus(text, safe="").replace("~", "%7E")


def secure_hash(secret: str, params: dict[str, str]) -> str:
    """vnp_SecureHash of a redirect or IPN: sorted, encoded k=v joined by &, HMAC-SHA512."""
    data = "&".join(
        f"{_encode(k)}={_encode(v)}"
        for k, v in sorted(params.items())
        if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def pipe_hash(secret: str, values: dict[str, Any], order: list[str]) -> str:
    data = "|".join(str(values.get(k, "") or "") for k in order)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


QUERYDR = "RequestId Version Command TmnCode TxnRef TransactionDate CreateDate IpAddr OrderInfo"
REFUND = (
    "RequestId Version Command TmnCode TransactionType TxnRef Amount TransactionNo "
    "TransactionDate CreateBy CreateDate IpAddr OrderInfo"
)
ANSWER = (
    "ResponseId Command ResponseCode Message TmnCode TxnRef Amount BankCode PayDate "
    "TransactionNo TransactionType TransactionStatus OrderInfo PromotionCode PromotionAmount"
)


def _fields(names: str) -> list[str]:
    return ["vnp_" + n for n in names.split()]


@dataclass
class Txn:
    ref: str
    amount: str  # vnp_Amount as sent (VND x 100)
    return_url: str
    order_info: str
    state: str = "01"  # 01 pending, 00 paid, 02 failed, 05 refunded (vnp_TransactionStatus)
    number: str = ""
    pay_date: str = ""


@dataclass
class Gateway:
    url: str
    tmn_code: str
    secret: str
    ipn_url: str
    test_controls: bool
    txns: dict[str, Txn] = field(default_factory=dict)
    next_mode: str = ""
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def notice(self, txn: Txn, outcome: str, spoil: str = "") -> dict[str, str]:
        """The signed IPN parameters for `outcome` ("pay" or "fail") of `txn`."""
        with self.lock:
            if not txn.number:
                txn.number = str(secrets.randbelow(10**8) + 10**7)
            if outcome == "pay":
                txn.state, txn.pay_date = "00", _stamp(datetime.now(UTC))
            else:
                txn.state = "02"
        code = "00" if outcome == "pay" else "24"  # 24: the customer cancelled
        params = {
            "vnp_Amount": txn.amount,
            "vnp_BankCode": "NCB",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": txn.order_info,
            "vnp_PayDate": txn.pay_date or _stamp(datetime.now(UTC)),
            "vnp_ResponseCode": code,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": txn.number,
            "vnp_TransactionStatus": "00" if outcome == "pay" else "02",
            "vnp_TxnRef": txn.ref,
        }
        if spoil == "amount":
            params["vnp_Amount"] = str(int(txn.amount) + 100_000)
        params["vnp_SecureHash"] = secure_hash(self.secret, params)
        if spoil == "checksum":
            params["vnp_SecureHash"] = secure_hash(self.secret + "x", params)
        return params

    def call_ipn(self, params: dict[str, str]) -> str:
        if not self.ipn_url:
            return ""
        try:
            with urllib.request.urlopen(  # noqa: S310 - the merchant's configured IPN URL
                f"{self.ipn_url}?{urlencode(params)}", timeout=10
            ) as response:
                return str(response.read().decode())
        except OSError as exc:
            return f"IPN failed: {exc}"

    def api(self, body: dict[str, Any]) -> dict[str, str]:
        command = str(body.get("vnp_Command", ""))
        order = _fields(QUERYDR if command == "querydr" else REFUND)
        answer = {
            "vnp_ResponseId": secrets.token_hex(16),
            "vnp_Command": command,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": str(body.get("vnp_TxnRef", "")),
        }
        given = str(body.get("vnp_SecureHash", ""))
        txn = self.txns.get(answer["vnp_TxnRef"])
        if command not in ("querydr", "refund"):
            answer |= {"vnp_ResponseCode": "99", "vnp_Message": "Unknown command"}
        elif not hmac.compare_digest(given, pipe_hash(self.secret, body, order)):
            answer |= {"vnp_ResponseCode": "97", "vnp_Message": "Invalid checksum"}
        elif body.get("vnp_TmnCode") != self.tmn_code:
            answer |= {"vnp_ResponseCode": "02", "vnp_Message": "Invalid merchant"}
        elif txn is None:
            answer |= {"vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"}
        else:
            if command == "refund":
                if txn.state != "00" or str(body.get("vnp_Amount")) != txn.amount:
                    answer |= {"vnp_ResponseCode": "94", "vnp_Message": "Refund refused"}
                else:
                    txn.state = "05"
            answer.setdefault("vnp_ResponseCode", "00")
            answer.setdefault("vnp_Message", "Success")
            answer |= {
                "vnp_Amount": txn.amount,
                "vnp_BankCode": "NCB",
                "vnp_PayDate": txn.pay_date,
                "vnp_TransactionNo": txn.number,
                "vnp_TransactionType": "02" if command == "refund" else "01",
                "vnp_TransactionStatus": txn.state,
                "vnp_OrderInfo": txn.order_info,
            }
        answer_order = _fields(ANSWER)[: 15 if command == "querydr" else 13]
        answer["vnp_SecureHash"] = pipe_hash(self.secret, answer, answer_order)
        return answer


PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thanh toán (mô phỏng VNPay)</title></head><body>
<h1>Cổng thanh toán mô phỏng</h1>
<p>Đơn vị: {tmn} · Mã giao dịch: {ref}</p><p>Nội dung: {info}</p>
<p>Số tiền: <strong>{amount} đ</strong></p>
<form method="post" action="/_act"><input type="hidden" name="ref" value="{ref}">
<button name="outcome" value="pay">Thanh toán</button>
<button name="outcome" value="fail">Thanh toán không thành công</button>
<button name="outcome" value="abandon">Bỏ dở (đóng cửa sổ)</button></form></body></html>"""


def make_handler(gw: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # the stdlib's name
            pass

        def _send(self, status: int, body: str, ctype: str = "text/html; charset=utf-8") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _json(self, status: int, body: object) -> None:
            self._send(status, json.dumps(body), "application/json")

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/paymentv2/vpcpay.html":
                self._send(404, "not found")
                return
            params = dict(parse_qsl(url.query, keep_blank_values=True))
            if params.get("vnp_TmnCode") != gw.tmn_code:
                self._send(400, "Sai mã đơn vị (vnp_TmnCode)")
                return
            expected = secure_hash(gw.secret, params)
            if not hmac.compare_digest(params.get("vnp_SecureHash", ""), expected):
                self._send(400, "Sai chữ ký (vnp_SecureHash)")
                return
            ref = params.get("vnp_TxnRef", "")
            with gw.lock:
                gw.txns.setdefault(
                    ref,
                    Txn(
                        ref=ref,
                        amount=params.get("vnp_Amount", "0"),
                        return_url=params.get("vnp_ReturnUrl", ""),
                        order_info=params.get("vnp_OrderInfo", ""),
                    ),
                )
            amount = int(params.get("vnp_Amount", "0")) // 100
            self._send(
                200,
                PAGE.format(
                    tmn=html.escape(gw.tmn_code),
                    ref=html.escape(ref),
                    info=html.escape(params.get("vnp_OrderInfo", "")),
                    amount=f"{amount:,}".replace(",", "."),
                ),
            )

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            if path == "/merchant_webapi/api/transaction":
                self._api()
            elif path == "/_act":
                form = dict(parse_qsl(self._body().decode()))
                self._act(form.get("ref", ""), form.get("outcome", ""))
            elif path.startswith("/_test/") and gw.test_controls:
                self._test(path, json.loads(self._body() or b"{}"))
            else:
                self._send(404, "not found")

        def _api(self) -> None:
            try:
                body = json.loads(self._body())
            except ValueError:
                self._json(400, {"vnp_ResponseCode": "03", "vnp_Message": "Invalid data"})
                return
            mode, gw.next_mode = gw.next_mode, ""
            if mode == "timeout":
                # Hold the answer until released or HOLD_SECONDS: the caller times out first.
                gw.released.wait(HOLD_SECONDS)
                gw.released.clear()
            self._json(200, gw.api(body))

        def _act(self, ref: str, outcome: str) -> None:
            txn = gw.txns.get(ref)
            if txn is None or outcome not in ("pay", "fail", "abandon"):
                self._send(404, "Không tìm thấy giao dịch")
                return
            if outcome == "abandon":
                self._send(200, "<p>Bạn đã rời trang thanh toán. Giao dịch chưa hoàn tất.</p>")
                return
            params = gw.notice(txn, outcome)
            gw.call_ipn(params)
            self.send_response(302)
            self.send_header("Location", f"{txn.return_url}?{urlencode(params)}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _test(self, path: str, body: dict[str, Any]) -> None:
            if path == "/_test/next":
                gw.next_mode = str(body.get("mode", ""))
                gw.released.clear()
                self._json(200, {"mode": gw.next_mode})
            elif path == "/_test/release":
                gw.released.set()
                self._json(200, {})
            elif path == "/_test/notice":
                txn = gw.txns.get(str(body.get("txn_ref", "")))
                if txn is None:
                    self._json(404, {"error": "unknown txn_ref"})
                    return
                params = gw.notice(txn, str(body.get("outcome", "pay")), str(body.get("spoil", "")))
                self._json(200, {"params": params, "ipn": gw.call_ipn(params)})
            else:
                self._send(404, "not found")

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8030, help="0 picks a free port")
    parser.add_argument("--tmn-code", default="MOTCUA01")
    parser.add_argument("--hash-secret", default="motcua-demo-vnpay-secret-0123456789")
    parser.add_argument(
        "--ipn-url",
        default="",
        help="the merchant's IPN, e.g. http://127.0.0.1:8000/payments/vnpay/ipn",
    )
    parser.add_argument("--test-controls", action="store_true", help="enable POST /_test/...")
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), BaseHTTPRequestHandler)
    server.daemon_threads = True
    url = f"http://{args.host}:{server.server_address[1]}"
    gw = Gateway(url, args.tmn_code, args.hash_secret, args.ipn_url, args.test_controls)
    server.RequestHandlerClass = make_handler(gw)
    print(f"listening on {url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
