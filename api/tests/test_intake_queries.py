"""Intake through the API (benchmark P1): its query count, pinned, and the lookup caches'
correctness: what this process changes is seen at once, what another changes within the TTL.
"""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken, User
from accounts.tokens import user_for_token
from conftest import World
from dossiers.models import (
    Dossier,
    DossierEvent,
    DossierStep,
    FigureCount,
    IdempotencyKey,
    OutboxMessage,
)
from lib import ttl
from orgs.models import Role, StaffRole
from testing.api import INTAKE

# Once the process has seen the token, roles, unit, agencies and procedure: the day's counter
# and the tracking book's counter (UPDATE ... RETURNING each), the dossier, its figures, its
# event, its first step, the dossier's current step, the outbox row, and the savepoint pair of
# the one transaction. It was 15 before the lookup caches (22 for the first intake of a process).
WARM_INTAKE_QUERIES = 10


def _bearer(client: Client, username: str) -> dict[str, Any]:
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": "pw-" + username},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": "Bearer " + r.json()["token"]}


def _intake(client: Client, auth: dict[str, Any], **extra: Any) -> Any:
    return client.post("/api/v1/dossiers", INTAKE, content_type="application/json", **auth, **extra)


class Clock:
    """Stands in for `time.monotonic` in lib.ttl: the test moves time, nothing sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(ttl.time, "monotonic", c)
    return c


def test_a_warm_intake_costs_only_its_writes(world: World, client: Client) -> None:
    auth = _bearer(client, "desk_a")
    assert _intake(client, auth).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        r = _intake(client, auth)
    assert r.status_code == 201
    assert len(queries.captured_queries) == WARM_INTAKE_QUERIES, [
        q["sql"][:80] for q in queries.captured_queries
    ]
    # Every guarantee is still written: the event, the step, the outbox row, the counters.
    d = Dossier.objects.get(code=r.json()["code"])
    assert d.code.endswith("-0002") and d.current_step is not None
    assert DossierEvent.objects.filter(dossier=d, verb="receive").count() == 1
    assert DossierStep.objects.filter(dossier=d).count() == 1
    assert OutboxMessage.objects.filter(dossier=d).count() == 1
    assert FigureCount.objects.exists()


def test_idempotency_costs_its_own_two_queries_only(world: World, client: Client) -> None:
    auth = _bearer(client, "desk_a")
    assert _intake(client, auth).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        first = _intake(client, auth, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert len(queries.captured_queries) == WARM_INTAKE_QUERIES + 2  # lookup, key row
    again = _intake(client, auth, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert IdempotencyKey.objects.count() == 1


def test_a_token_deleted_here_stops_working_at_once(world: World, client: Client) -> None:
    auth = _bearer(client, "desk_a")
    assert _intake(client, auth).status_code == 201
    ApiToken.objects.filter(user=world.desk_a).delete()
    assert _intake(client, auth).status_code == 401


def test_a_user_deactivated_elsewhere_is_refused_within_the_ttl(
    world: World, client: Client, clock: Clock
) -> None:
    auth = _bearer(client, "desk_a")
    assert _intake(client, auth).status_code == 201
    # `update` sends no signal: as if another process had deactivated the user.
    User.objects.filter(pk=world.desk_a.pk).update(is_active=False)
    clock.now += ttl.DEFAULT_TTL - 0.1
    assert _intake(client, auth).status_code == 201  # the bound the ADR accepts
    clock.now += 0.2
    assert _intake(client, auth).status_code == 401


def test_an_expired_token_is_refused_even_while_cached(world: World, client: Client) -> None:
    raw = _bearer(client, "desk_a")["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    token = ApiToken.objects.get(user=world.desk_a)
    assert user_for_token(raw, token.created_at) == world.desk_a  # now cached
    assert user_for_token(raw, token.expires_at) is None


def test_a_role_revoked_here_is_refused_at_once(world: World, client: Client) -> None:
    auth = _bearer(client, "desk_a")
    assert _intake(client, auth).status_code == 201
    StaffRole.objects.filter(user=world.desk_a, role=Role.DESK_OFFICER).delete()
    assert _intake(client, auth).status_code == 403


def test_a_role_revoked_elsewhere_is_refused_within_the_ttl(
    world: World, client: Client, clock: Clock
) -> None:
    auth = _bearer(client, "desk_a")
    assert _intake(client, auth).status_code == 201
    # A raw delete sends no signal: as if an administrator had revoked it on another node.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {StaffRole._meta.db_table} WHERE user_id = %s",  # noqa: S608
            [world.desk_a.pk],
        )
    clock.now += ttl.DEFAULT_TTL + 0.1
    assert _intake(client, auth).status_code == 403


def test_an_agency_closed_here_is_seen_by_the_next_intake(world: World, client: Client) -> None:
    auth = _bearer(client, "desk_a")
    assert _intake(client, auth).status_code == 201
    office = world.ward_a.agencies.get(kind__code="office")
    office.is_active = False
    office.save()
    r = _intake(client, auth)
    assert r.status_code == 422 and "office" in r.json()["detail"]
