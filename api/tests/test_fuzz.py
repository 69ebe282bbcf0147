"""The whole API fuzzed with schemathesis: no server error, every answer as the schema says.

Runs in-process against the WSGI app (same database transaction as the test), as a desk
officer of ward A with a bearer token, with one dossier on file so the paths can hit it.
Bounded for CI: FUZZ_EXAMPLES cases per operation and mode (positive, negative), derandomized
so a failure is reproducible, and a FUZZ_SECONDS budget for the whole run. A longer run:
FUZZ_EXAMPLES=200 FUZZ_SECONDS=180 pytest api/tests/test_fuzz.py.
"""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from config.wsgi import application
from testing.api import bearer
from testing.clock import vn
from testing.dossiers import intake
from testing.world import World

# A schema cannot say which procedure codes exist, which ID numbers are well formed or how far
# a limit may go for each unit: a request that fits the schema may still be refused, with a
# problem+json 400 (malformed parameter) or 422 (business rule), never with a 5xx.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2XX", "400", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
SECONDS = float(os.environ.get("FUZZ_SECONDS", "30"))


class BudgetSpent(Exception):
    """Raised to stop hypothesis when the run's time budget is spent."""


@contextmanager
def keep_connection() -> Iterator[None]:
    """Keep the test's connection (and transaction) open across WSGI requests.

    Django's test client does the same around each of its requests; the WSGI handler would
    otherwise close the connection when a request starts and ends.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world: World, client: Any, settings: Any, scanner: Any) -> dict[str, str]:
    # The fuzzer is one client sending hundreds of requests a minute: lift the per-address
    # limits (they have tests of their own), keep everything else as deployed.
    settings.RATE_LIMIT_PUBLIC_PER_MINUTE = 10**6
    settings.RATE_LIMIT_SIGNIN_PER_MINUTE = 10**6
    settings.RATE_LIMIT_VERIFY_PER_MINUTE = 10**6
    settings.ALLOWED_HOSTS = ["*"]
    intake(world, vn(2026, 3, 2, 9, 0))
    headers = bearer(client, "desk_a")
    return {"Authorization": headers["HTTP_AUTHORIZATION"]}


def _run(
    operation: Any, mode: GenerationMode, token: dict[str, str], deadline: float
) -> tuple[int, list[str]]:
    """Send up to EXAMPLES cases of `operation`; return how many were sent and the failures."""
    failures: list[str] = []
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Any) -> None:
        nonlocal sent
        if sent and time.monotonic() > deadline:  # every operation gets at least one case
            raise BudgetSpent
        sent += 1
        # A negative case may leave the Authorization header out on purpose: send it as is.
        given_auth = any(k.lower() == "authorization" for k in case.headers or {})
        headers = None if mode == GenerationMode.NEGATIVE and not given_auth else token
        response = case.call(headers=headers)
        try:
            case.validate_response(response, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # each failure is reported below
            failures.append(f"{operation.label} [{mode.value}]: {exc}")

    try:
        send()
    except BudgetSpent:
        pass
    except Unsatisfiable:
        # An operation without parameters or body has no invalid request to generate.
        assert mode == GenerationMode.NEGATIVE, operation.label
    return sent, failures


@pytest.mark.django_db(transaction=False)
def test_api_has_no_server_error_and_keeps_to_its_schema(token: dict[str, str]) -> None:
    failures: list[str] = []
    counts: dict[str, int] = {}
    with keep_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
        results = list(schema.get_all_operations())
        operations = [r.ok() for r in results if isinstance(r, Ok)]
        assert len(operations) == len(results), "the OpenAPI document has invalid operations"
        assert len(operations) >= 15
        start = time.monotonic()
        slots = [(op, mode) for op in operations for mode in GenerationMode]
        for i, (operation, mode) in enumerate(slots, start=1):
            # Each operation and mode gets its share of the budget; time one leaves is kept.
            deadline = start + SECONDS * i / len(slots)
            sent, found = _run(operation, mode, token, deadline)
            counts[f"{operation.label} [{mode.value}]"] = sent
            failures += found
    print(f"schemathesis: {sum(counts.values())} cases, {len(failures)} failures")
    assert time.monotonic() <= deadline + 30, "one operation ran far past the budget"
    untried = [label for label, n in counts.items() if n == 0 and "[positive]" in label]
    assert not untried, f"no case could be generated for {untried}"
    assert not failures, "\n\n".join(failures[:20]) + f"\n\n{len(failures)} failures"
