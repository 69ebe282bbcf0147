"""A citizen signs in at the portal, and gets nothing from the staff side."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, User, hash_token
from conftest import World
from testing.citizens import citizen

PASSWORD = "Mat-khau-dai-2026"
ATTACKER = "203.0.113.66"
REAL = "198.51.100.7"


def portal_sign_in(client: Client, contact: str, password: str = PASSWORD, ip: str = REAL) -> Any:
    return client.post(
        "/tai-khoan/dang-nhap/", {"contact": contact, "password": password}, REMOTE_ADDR=ip
    )


def test_sign_in_with_phone_in_any_spelling_or_email(world: World) -> None:
    user = citizen(phone="0912000333", email="lan@example.vn")
    for typed in ("0912000333", "+84 912 000 333", "LAN@example.vn"):
        client = Client()
        r = portal_sign_in(client, typed)
        assert r.status_code == 302 and r["Location"] == "/tai-khoan/ho-so/", typed
        assert client.session["_auth_user_id"] == str(user.pk)
    client = Client()
    r = portal_sign_in(client, "0912000333", "wrong-password")
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    assert "không đúng" in r.content.decode()


def test_an_unconfirmed_contact_and_a_staff_account_cannot_sign_in_here(world: World) -> None:
    user = citizen(phone="0912000334")
    user.phone_confirmed_at = None
    user.save()
    assert portal_sign_in(Client(), "0912000334").status_code == 200
    # desk_a's username is not a contact; make a staff account whose phone is one.
    world.desk_a.phone = "0912000335"
    world.desk_a.save()
    assert portal_sign_in(Client(), "0912000335", "pw-desk_a").status_code == 200


def test_failures_lock_the_contact_from_that_address_only(world: World) -> None:
    citizen(phone="0912000336")
    attacker = Client()
    for _ in range(5):
        portal_sign_in(attacker, "0912000336", "wrong", ip=ATTACKER)
    r = portal_sign_in(attacker, "0912000336", ip=ATTACKER)
    assert r.status_code == 429 and "_auth_user_id" not in attacker.session
    real = Client()
    assert portal_sign_in(real, "0912000336", ip=REAL).status_code == 302


def test_a_citizens_password_opens_no_staff_door(world: World) -> None:
    user = citizen(phone="0912000337")
    for path, data in (
        ("/desk/login/", {"username": user.username, "password": PASSWORD}),
        ("/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}),
    ):
        client = Client()
        r = client.post(path, data)
        assert r.status_code == 200, path
        assert "_auth_user_id" not in client.session, path
    r = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert r.status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


STAFF_PAGES = [
    "/desk/",
    "/desk/queue/to_receive/",
    "/desk/intake/",
    "/desk/book/",
    "/desk/citizens/vouch/",
    "/ioc/",
    "/ioc/access-log/",
    "/admin/",
    "/admin/accounts/user/",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_signed_in_citizen_reaches_no_staff_page(world: World, path: str) -> None:
    client = Client()
    portal_sign_in(client, citizen(phone="0912000338").phone)
    assert "_auth_user_id" in client.session
    r = client.get(path)
    assert r.status_code == 302, path
    assert r["Location"].startswith(("/desk/login/", "/admin/login/")), r["Location"]
    # ...while the same session still opens the citizen's own page.
    assert client.get("/tai-khoan/ho-so/").status_code == 200


def test_a_signed_in_citizen_gets_nothing_from_the_api(world: World) -> None:
    user = citizen(phone="0912000339")
    client = Client()
    portal_sign_in(client, user.phone)
    assert client.get("/api/v1/dossiers").status_code == 401
    # Even a token row made for a citizen account opens nothing.
    now = timezone.now()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token("raw-citizen-token"),
        created_at=now,
        expires_at=now + timedelta(hours=1),
    )
    r = Client().get("/api/v1/dossiers", HTTP_AUTHORIZATION="Bearer raw-citizen-token")
    assert r.status_code == 401


def test_a_citizen_account_can_never_be_staff(world: World) -> None:
    user = citizen(phone="0912000340")
    user.is_staff = True
    with pytest.raises(IntegrityError, match="user_citizen_never_staff"), transaction.atomic():
        user.save()
    assert not User.objects.get(pk=user.pk).is_staff


def test_sign_out(world: World) -> None:
    client = Client()
    portal_sign_in(client, citizen(phone="0912000341").phone)
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session
    r = client.get("/tai-khoan/ho-so/")
    assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/dang-nhap/")
