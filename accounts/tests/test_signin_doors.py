"""Every door counts failed sign-ins per username and client address (django-axes).

Found by probing (issue 14): the API token endpoint took 300 wrong passwords and then issued a
token; /admin/login/ never locked; an account locked at the desk still got an API token; five
wrong sign-ins from any address locked a leader out everywhere.
"""

import json
from typing import Any

import pytest
from django.test import Client

from conftest import World

ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"


def desk(client: Client, username: str, password: str, ip: str) -> Any:
    return client.post("/desk/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(client: Client, username: str, password: str, ip: str, **headers: Any) -> Any:
    return client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=ip,
        **headers,
    )


def admin(client: Client, username: str, password: str, ip: str) -> Any:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_api_token_locks_after_the_limit_and_answers_problem_json(
    world: World, client: Client
) -> None:
    for _ in range(4):
        assert token(client, "leader_a", "wrong", ATTACKER).status_code == 401
    # The fifth failure locks the pair; the right password is then refused too.
    assert token(client, "leader_a", "wrong", ATTACKER).status_code == 429
    r = token(client, "leader_a", "pw-leader_a", ATTACKER)
    assert r.status_code == 429
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 429 and body["type"].endswith("/locked-out")
    assert "khóa" in body["title"].lower() or "khóa" in body["detail"].lower()
    assert int(r["Retry-After"]) > 0
    assert "token" not in body


def test_admin_login_locks_too(world: World, client: Client) -> None:
    world.leader_a.is_staff = True
    world.leader_a.save()
    for _ in range(4):
        assert admin(client, "leader_a", "wrong", ATTACKER).status_code == 200
    assert admin(client, "leader_a", "wrong", ATTACKER).status_code == 429
    r = admin(client, "leader_a", "pw-leader_a", ATTACKER)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_locked_at_the_desk_means_locked_for_the_api_from_that_address(
    world: World, client: Client
) -> None:
    for _ in range(5):
        desk(client, "leader_a", "wrong", ATTACKER)
    assert token(client, "leader_a", "pw-leader_a", ATTACKER).status_code == 429


@pytest.mark.parametrize("door", [desk, token, admin])
def test_a_flood_from_one_address_does_not_lock_the_user_out_elsewhere(
    world: World, door: Any
) -> None:
    world.leader_a.is_staff = True
    world.leader_a.save()
    attacker, user = Client(), Client()
    for _ in range(12):
        door(attacker, "leader_a", "wrong", ATTACKER)
    assert door(attacker, "leader_a", "pw-leader_a", ATTACKER).status_code == 429
    r = door(user, "leader_a", "pw-leader_a", REAL_USER)
    assert r.status_code in (200, 302)
    if door is token:
        assert r.json()["username"] == "leader_a"
    else:
        assert user.session.get("_auth_user_id") == str(world.leader_a.pk)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(world: World, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    attacker = Client()
    # Straight from the internet, a forged header changes nothing: still the attacker's address.
    for i in range(5):
        token(attacker, "desk_a", "wrong", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    assert token(attacker, "desk_a", "pw-desk_a", ATTACKER).status_code == 429
    # Through our proxy, the address it appended counts; what the client prepended does not.
    proxied = Client()
    for _ in range(5):
        token(proxied, "desk_b", "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
    r = token(proxied, "desk_b", "pw-desk_b", "127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert r.status_code == 429
    r = token(proxied, "desk_b", "pw-desk_b", "127.0.0.1", HTTP_X_FORWARDED_FOR=REAL_USER)
    assert r.status_code == 200


def test_a_right_password_resets_the_count(world: World, client: Client) -> None:
    for _ in range(4):
        token(client, "desk_a", "wrong", ATTACKER)
    assert token(client, "desk_a", "pw-desk_a", ATTACKER).status_code == 200
    for _ in range(4):
        token(client, "desk_a", "wrong", ATTACKER)
    assert token(client, "desk_a", "pw-desk_a", ATTACKER).status_code == 200
