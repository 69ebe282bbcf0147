"""The local VNPay peer (demo/peers/vnpay.py) as a live process for tests, and fee lines."""

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from catalog.models import ProcedureVersion
from payments.models import FeeDue, FeeLine
from testing.peers import running_peer

TMN_CODE = "TESTTMN1"
SECRET = "test-vnpay-secret-0123456789abcdef"


@dataclass
class LiveGateway:
    """A peer process: its URL, and its test controls."""

    url: str

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(  # noqa: S310 - the peer on 127.0.0.1
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - 127.0.0.1
            return json.loads(response.read())

    def open(self, pay_url: str) -> tuple[int, str]:
        """GET the payment page as the citizen's browser would: (status, body)."""
        try:
            with urllib.request.urlopen(pay_url, timeout=10) as response:  # noqa: S310 - 127.0.0.1
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def notice(self, txn_ref: str, outcome: str = "pay", spoil: str = "") -> dict[str, str]:
        """The IPN parameters the peer signs for this outcome of a transaction."""
        answer = self._post(
            "/_test/notice", {"txn_ref": txn_ref, "outcome": outcome, "spoil": spoil}
        )
        return dict(answer["params"])

    def next(self, mode: str) -> None:
        """Spoil the next merchant API call ("timeout": held until released)."""
        self._post("/_test/next", {"mode": mode})

    def release(self) -> None:
        self._post("/_test/release", {})


@pytest.fixture(scope="session")
def vnpay_process() -> Iterator[LiveGateway]:
    """Start the peer on a free port; ready when it prints its URL."""
    with running_peer(
        "demo.peers.vnpay",
        "--tmn-code",
        TMN_CODE,
        "--hash-secret",
        SECRET,
        "--test-controls",
    ) as url:
        yield LiveGateway(url)


@pytest.fixture
def vnpay(vnpay_process: LiveGateway, settings: Any) -> LiveGateway:
    """Point the site's VNPay settings at the live peer for one test."""
    settings.VNPAY_TMN_CODE = TMN_CODE
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_PAY_URL = vnpay_process.url + "/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = vnpay_process.url + "/merchant_webapi/api/transaction"
    settings.VNPAY_TIMEOUT_SECONDS = 2
    return vnpay_process


def add_fees(
    code: str = "1.001193",
    *,
    fee: int = 50_000,
    charge: int = 20_000,
    due: str = FeeDue.BEFORE_RETURN,
) -> ProcedureVersion:
    """Give the published version of a procedure a fee line and a charge line."""
    version = ProcedureVersion.objects.get(procedure__code=code)
    FeeLine.objects.filter(version=version).delete()
    FeeLine.objects.create(
        version=version, position=1, kind="fee", label="Phí thẩm định", amount_vnd=fee, due=due
    )
    FeeLine.objects.create(
        version=version,
        position=2,
        kind="charge",
        label="Lệ phí cấp giấy",
        amount_vnd=charge,
        due=due,
        waived_for=["poor_household"],
    )
    return version
