"""The API's dossier listing: the desk list's search and filters (dossiers.search)."""

from typing import Any

import pytest
from django.test import Client

from conftest import World
from dossiers import actions
from testing.api import bearer
from testing.clock import vn
from testing.dossiers import finish, intake

pytestmark = pytest.mark.django_db


def codes(client: Client, headers: dict[str, Any], **params: str) -> list[str]:
    r = client.get("/api/v1/dossiers", params, **headers)
    assert r.status_code == 200, r.content
    return [item["code"] for item in r.json()["items"]]


def test_listing_searches_every_status_with_the_desk_filters(world: World, client: Client) -> None:
    returned = finish(world, intake(world, vn(2026, 3, 2, 9)), vn(2026, 3, 3, 9))
    returned = actions.return_result(
        returned,
        actor=world.desk_a,
        at=vn(2026, 3, 4, 9),
        return_method="desk",
        collector_name="Nguyễn Văn A",
    )
    online = intake(world, vn(2026, 3, 20, 9), channel="2")
    desk_a = bearer(client, "desk_a")

    assert codes(client, desk_a, q=returned.code.lower()) == [returned.code]
    assert set(codes(client, desk_a, q="+84 912 345 678")) == {returned.code, online.code}
    assert codes(client, desk_a, status="returned") == [returned.code]
    assert codes(client, desk_a, channel="2") == [online.code]
    assert codes(client, desk_a, **{"from": "2026-03-01", "to": "2026-03-19"}) == [returned.code]
    assert codes(client, desk_a, period="received", **{"from": "2026-03-20"}) == [online.code]
    r = client.get("/api/v1/dossiers", {"from": "2026-03-20", "to": "2026-03-01"}, **desk_a)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "to"
    # Ward B's desk sees none of it, whatever it searches.
    desk_b = bearer(client, "desk_b")
    assert codes(client, desk_b, q=returned.code) == []
    assert codes(client, desk_b, q="087095000123") == []


def test_listing_masks_ids_and_pages_with_a_cursor(world: World, client: Client) -> None:
    made = [intake(world, vn(2026, 3, day, 9)).code for day in (2, 3, 4)]
    desk_a = bearer(client, "desk_a")
    first = client.get("/api/v1/dossiers", {"limit": 2}, **desk_a).json()
    assert [i["code"] for i in first["items"]] == made[:0:-1]
    assert first["items"][0]["applicant_id_number"] == "********0123"
    second = client.get(
        "/api/v1/dossiers", {"limit": 2, "cursor": first["next_cursor"]}, **desk_a
    ).json()
    assert [i["code"] for i in second["items"]] == made[:1] and second["next_cursor"] is None
    r = client.get("/api/v1/dossiers", {"cursor": "garbage!"}, **desk_a)
    assert r.status_code == 400
