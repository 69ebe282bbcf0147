"""Dossiers through the API, by officers of the right units, with idempotency and conflicts."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts.models import ApiToken
from conftest import World
from dossiers.models import Dossier
from testing.api import INTAKE, bearer


def post(client: Client, url: str, body: dict[str, Any], auth: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, body, content_type="application/json", **auth, **extra)


def act(client: Client, code: str, verb: str, auth: dict[str, Any], **body: Any) -> Any:
    current = client.get(f"/api/v1/dossiers/{code}", **auth).json()
    return post(
        client,
        f"/api/v1/dossiers/{code}/actions/{verb}",
        {"version": current.get("version", 0), **body},
        auth,
    )


def test_intake_to_return_through_the_api(world: World, client: Client) -> None:
    desk, spec, lead, desk_b = (
        bearer(client, u) for u in ("desk_a", "specialist_a", "leader_a", "desk_b")
    )
    r = post(client, "/api/v1/dossiers", INTAKE, desk)
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["allowed_actions"] == [
        "request_supplement",
        "forward",
        "stop",
        "apologize",
        "transfer",
    ]
    assert r.json()["due_at"] is not None

    assert client.get(f"/api/v1/dossiers/{code}", **desk_b).status_code == 404
    assert act(client, code, "forward", desk_b).status_code == 404
    listing = client.get("/api/v1/dossiers", **desk_b).json()
    assert listing["items"] == []

    refused = act(client, code, "approve", spec)
    assert refused.status_code == 409 or refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")

    steps: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("forward", desk, {}),
        ("forward", spec, {"comment": "Đủ điều kiện."}),
        ("approve", lead, {"comment": "Đồng ý."}),
    ]
    for verb, auth, body in steps:
        r = act(client, code, verb, auth, **body)
        assert r.status_code == 200, r.content
    assert r.json()["status"] == "result_ready"
    r = act(
        client, code, "return_result", desk, return_method="desk", collector_name="Nguyễn Văn A"
    )
    body = r.json()
    assert body["status"] == "returned"
    assert [e["verb"] for e in body["events"]] == [
        "receive",
        "forward",
        "forward",
        "approve",
        "return_result",
    ]
    assert all(s["finished_at"] for s in body["steps"])

    public = client.get(f"/api/v1/public/dossiers/{code}", HTTP_X_LOOKUP_PIN=body["public_secret"])
    assert public.status_code == 200
    assert public.json()["applicant_name"] == "Nguyễn V. A."
    assert "087095000123" not in public.content.decode()
    wrong = client.get(f"/api/v1/public/dossiers/{code}", HTTP_X_LOOKUP_PIN="000000x")
    assert wrong.status_code == 404
    # A PIN in the URL opens nothing: the header is required.
    in_url = client.get(f"/api/v1/public/dossiers/{code}", {"secret": body["public_secret"]})
    assert in_url.status_code == 422 and "X-Lookup-Pin" in in_url.content.decode()
    assert wrong.status_code == 404


def test_listing_search_is_diacritic_insensitive_and_keyset_paginated(
    world: World, client: Client
) -> None:
    desk = bearer(client, "desk_a")
    for name in ["Nguyễn Văn A", "Trần Thị Bình", "Nguyễn Văn Ánh"]:
        body = {**INTAKE, "applicant": {**INTAKE["applicant"], "name": name}}
        assert post(client, "/api/v1/dossiers", body, desk).status_code == 201
    found = client.get("/api/v1/dossiers", {"q": "nguyen van a"}, **desk).json()["items"]
    assert {d["applicant_name"] for d in found} == {"Nguyễn Văn A", "Nguyễn Văn Ánh"}
    assert found[0]["applicant_id_number"] == "********0123"
    page1 = client.get("/api/v1/dossiers", {"limit": 2}, **desk).json()
    page2 = client.get("/api/v1/dossiers", {"limit": 2, "cursor": page1["next_cursor"]}, **desk)
    codes = [d["code"] for d in page1["items"]] + [d["code"] for d in page2.json()["items"]]
    assert len(set(codes)) == 3 and page2.json()["next_cursor"] is None


def test_idempotency_key(world: World, client: Client) -> None:
    desk = bearer(client, "desk_a")
    first = post(client, "/api/v1/dossiers", INTAKE, desk, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, "/api/v1/dossiers", INTAKE, desk, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["code"] == again.json()["code"]
    other = {**INTAKE, "sets_count": 2}
    reused = post(client, "/api/v1/dossiers", other, desk, HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 422 and "idempotency" in reused.json()["type"]
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "needle"),
    [
        ({"procedure": "9.999999"}, 422, "9.999999"),
        ({"receiving_unit": "00000"}, 422, "00000"),
        ({"documents": []}, 422, "Thiếu thành phần"),
        ({"applicant": {**INTAKE["applicant"], "id_number": "12"}}, 422, "12"),
        ({"channel": "9"}, 422, "channel"),
    ],
)
def test_bad_intake(world: World, client: Client, change: dict, status: int, needle: str) -> None:
    r = post(client, "/api/v1/dossiers", {**INTAKE, **change}, bearer(client, "desk_a"))
    assert r.status_code == status
    assert r["Content-Type"].startswith("application/problem+json")
    assert needle in r.json().get("detail", "")
    assert Dossier.objects.count() == 0


def test_stale_version_gets_409(world: World, client: Client) -> None:
    desk = bearer(client, "desk_a")
    d = post(client, "/api/v1/dossiers", INTAKE, desk).json()
    ok = post(
        client, f"/api/v1/dossiers/{d['code']}/actions/forward", {"version": d["version"]}, desk
    )
    assert ok.status_code == 200
    stale = post(
        client,
        f"/api/v1/dossiers/{d['code']}/actions/stop",
        {"version": d["version"], "reason": "Rút hồ sơ"},
        desk,
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == d["version"] + 1


def test_unauthenticated_is_401(client: Client) -> None:
    r = client.get("/api/v1/dossiers")
    assert r.status_code == 401 and r["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_exactly_one_wins(world: World) -> None:
    client = Client()
    desk = bearer(client, "desk_a")
    d = post(client, "/api/v1/dossiers", INTAKE, desk).json()
    assert ApiToken.objects.count() == 1
    results: list[int] = []
    barrier = threading.Barrier(2)

    def attempt(verb: str, body: dict[str, Any]) -> None:
        try:
            barrier.wait()
            r = Client().post(
                f"/api/v1/dossiers/{d['code']}/actions/{verb}",
                {"version": d["version"], **body},
                content_type="application/json",
                **desk,
            )
            results.append(r.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=("forward", {})),
        threading.Thread(target=attempt, args=("stop", {"reason": "Người nộp rút"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    dossier = Dossier.objects.get(code=d["code"])
    assert dossier.version == d["version"] + 1 and dossier.event_count == 2


def test_transfer_through_the_api_names_the_unit_by_code(world: World, client: Client) -> None:
    desk = bearer(client, "desk_a")
    d = post(client, "/api/v1/dossiers", INTAKE, desk).json()
    missing = act(client, d["code"], "transfer", desk, reason="Sai địa bàn")
    assert missing.status_code == 422 and missing.json()["field"] == "competent_unit"
    unknown = act(client, d["code"], "transfer", desk, reason="Sai địa bàn", competent_unit="99")
    assert unknown.status_code == 422
    r = act(client, d["code"], "transfer", desk, reason="Sai địa bàn", competent_unit="30002")
    assert r.status_code == 200, r.content
    assert Dossier.objects.get(code=d["code"]).competent_unit == world.ward_b
    assert r.json()["events"][-1]["verb"] == "transfer"
