"""The public API: units, procedures, due dates, tokens, and problem+json errors."""

from typing import Any

import pytest
from django.test import Client

from conftest import World
from workdays.models import DayOverride

PROBLEM = "application/problem+json"


def get(client: Client, url: str, **params: Any) -> Any:
    return client.get(url, params)


def test_units_lists_current_and_historical_with_successor(world: World, client: Client) -> None:
    body = client.get("/api/v1/units").json()
    by_code = {u["code"]: u for u in body}
    assert by_code["30001"]["parent"] == "82"
    assert by_code["869"]["successor"] == "30002"
    current = {u["code"] for u in client.get("/api/v1/units", {"current": "true"}).json()}
    assert "869" not in current and "30001" in current


def test_procedures_list_and_detail(world: World, client: Client) -> None:
    listing = client.get("/api/v1/procedures", {"q": "khai sinh"}).json()
    assert [p["code"] for p in listing] == ["1.001193"]
    detail = client.get("/api/v1/procedures/1.001193").json()
    assert detail["limit_display"] == "3 ngày làm việc"
    assert [s["hours"] for s in detail["steps"]] == ["4.00", "14.00", "4.00", "2.00"] or [
        float(s["hours"]) for s in detail["steps"]
    ] == [4, 14, 4, 2]


def test_unknown_procedure_is_a_problem(world: World, client: Client) -> None:
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == 404 and "9.999999" in body["detail"]


@pytest.mark.parametrize(
    ("params", "due"),
    [
        # Civil Code: the day of receipt is not counted; the period ends at close of office.
        ({"from": "2026-03-02T09:00:00+07:00", "limit": 3}, "2026-03-05T17:00:00+07:00"),
        (
            {"from": "2026-03-02T09:00:00+07:00", "limit": 3, "rule": "elapsed"},
            "2026-03-05T09:00:00+07:00",
        ),
        # Received Friday 13/2/2026 before Tết: Tết (16-20/2) and weekends are skipped.
        ({"from": "2026-02-13T10:00:00+07:00", "limit": 1}, "2026-02-23T17:00:00+07:00"),
        # The 2/1/2026 swap comes from the overrides table: Friday off, Saturday 10/1 worked.
        ({"from": "2025-12-31T10:00:00+07:00", "limit": 2}, "2026-01-06T17:00:00+07:00"),
        ({"from": "2026-01-09T10:00:00+07:00", "limit": 1}, "2026-01-10T17:00:00+07:00"),
        (
            {"from": "2026-03-02T16:00:00+07:00", "limit": 4, "unit": "hour"},
            "2026-03-03T10:00:00+07:00",
        ),
        ({"from": "2026-03-02T09:00:00Z", "limit": 1, "unit": "hour"}, "2026-03-02T17:00:00+07:00"),
    ],
)
def test_due(world: World, client: Client, params: dict[str, Any], due: str) -> None:
    DayOverride.objects.create(day="2026-01-02", working=False, reason="Hoán đổi")
    DayOverride.objects.create(day="2026-01-10", working=True, reason="Làm bù")
    response = client.get("/api/v1/calendar/due", params)
    assert response.status_code == 200, response.content
    assert response.json()["due"] == due


def test_due_with_unit_applies_its_cutoff(world: World, client: Client) -> None:
    params: dict[str, Any] = {
        "from": "2026-03-02T15:30:00+07:00",
        "limit": 1,
        "org": "30001",
        "cutoff": "true",
    }
    # After 15:00 the dossier counts from Tuesday; one working day later is Wednesday.
    assert client.get("/api/v1/calendar/due", params).json()["due"] == "2026-03-04T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "status", "needle"),
    [
        ({"from": "hôm qua", "limit": 3}, 400, "ISO 8601"),
        ({"from": "2026-03-02T09:00:00", "limit": 3}, 400, "múi giờ"),
        ({"from": "2026-03-02T09:00:00+07:00", "limit": -1}, 400, "limit=-1"),
        ({"from": "2026-03-02T09:00:00+07:00", "limit": 100000}, 400, "limit=100000"),
        ({"from": "2026-03-02T09:00:00+07:00", "limit": 3, "org": "00000"}, 404, "00000"),
        ({"from": "2026-03-02T09:00:00+07:00", "limit": 3, "unit": "week"}, 422, "unit"),
        ({"limit": 3}, 422, "from"),
        ({"from": "2099-03-02T09:00:00+07:00", "limit": 3}, 400, ""),
    ],
)
def test_due_bad_input_is_problem_json(
    world: World, client: Client, params: dict[str, Any], status: int, needle: str
) -> None:
    response = client.get("/api/v1/calendar/due", params)
    assert response.status_code == status
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"]
    assert needle in body.get("detail", "")


def test_token_flow(world: World, client: Client) -> None:
    bad = client.post(
        "/api/v1/auth/token",
        {"username": "desk_a", "password": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 401 and bad["Content-Type"].startswith(PROBLEM)
    good = client.post(
        "/api/v1/auth/token",
        {"username": "desk_a", "password": "pw-desk_a"},
        content_type="application/json",
    )
    assert good.status_code == 200
    assert good.json()["token_type"] == "Bearer" and len(good.json()["token"]) > 30


def test_openapi_is_served(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/calendar/due" in schema["paths"]
    assert client.get("/api/docs").status_code == 302
