"""Sign-up with a phone or an email, the one-time code, password reset."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from citizens import actions
from citizens.codes import CodeError
from citizens.contacts import Contact
from citizens.models import ContactCode
from conftest import World
from dossiers.models import OutboxMessage
from testing.citizens import citizen

PASSWORD = "Hoa-sen-no-2026"


def sign_up(client: Client, contact: str, password: str = PASSWORD, **extra: Any) -> Any:
    data = {
        "full_name": "Phạm Thị Hoa",
        "contact": contact,
        "password1": password,
        "password2": password,
        **extra,
    }
    return client.post("/tai-khoan/dang-ky/", data, REMOTE_ADDR=extra.pop("ip", "198.51.100.20"))


def last_code(recipient: str) -> str:
    message = OutboxMessage.objects.filter(recipient=recipient).order_by("-pk").first()
    assert message is not None
    return str(message.payload["code"])


def test_phone_sign_up_confirmed_by_the_code(world: World, client: Client) -> None:
    r = sign_up(client, "+84 912 345 001")
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/xac-nhan/"
    assert not User.objects.filter(phone="0912345001").exists()  # nothing before the code
    message = OutboxMessage.objects.get(recipient="0912345001")
    assert message.kind == "signup_code" and message.channel == "sms"
    assert message.dossier is None and message.user is None
    code = message.payload["code"]
    row = ContactCode.objects.get(contact="0912345001")
    assert code not in (row.code_hash, row.password_hash) and len(row.code_hash) == 64
    page = client.get("/tai-khoan/xac-nhan/").content.decode()
    assert "091****001" in page.replace("*", "*") or "001" in page
    r = client.post("/tai-khoan/xac-nhan/", {"code": code})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/ho-so/"
    user = User.objects.get(phone="0912345001")
    assert user.is_citizen and user.phone_confirmed_at and not user.is_staff
    assert user.check_password(PASSWORD) and user.full_name == "Phạm Thị Hoa"
    assert client.session["_auth_user_id"] == str(user.pk)
    profile = client.get("/tai-khoan/ho-so/").content.decode()
    assert "0912345001" in profile and "Phạm Thị Hoa" in profile
    # The code works once.
    assert client.post("/tai-khoan/xac-nhan/", {"code": code}).status_code == 302
    assert User.objects.filter(phone="0912345001").count() == 1


def test_email_sign_up(world: World, client: Client) -> None:
    sign_up(client, "Hoa.Pham@Example.VN")
    code = last_code("hoa.pham@example.vn")
    client.post("/tai-khoan/xac-nhan/", {"code": code})
    user = User.objects.get(email="hoa.pham@example.vn")
    assert user.email_confirmed_at and not user.phone


def test_a_taken_contact_gets_the_same_answer_and_its_owner_is_told(
    world: World, client: Client
) -> None:
    owner = citizen(phone="0912345002")
    fresh = sign_up(Client(), "0912345003")
    taken = sign_up(client, "0912345002")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    page = client.get("/tai-khoan/xac-nhan/")
    assert page.status_code == 200
    told = OutboxMessage.objects.get(recipient="0912345002")
    assert told.kind == "signup_account_exists" and told.user == owner
    assert "code" not in told.payload
    # No code opens it: six wrong guesses and the budget is gone, as for any sign-up.
    for guess in ("000000", "123456", "999999", "111111", "222222"):
        r = client.post("/tai-khoan/xac-nhan/", {"code": guess})
        assert r.status_code == 200
    last = client.post("/tai-khoan/xac-nhan/", {"code": "333333"})
    assert "quá nhiều lần" in last.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("Mat-khau-dai-2026")


def test_someone_typing_my_phone_never_owns_my_account(world: World) -> None:
    attacker, me = Client(), Client()
    sign_up(attacker, "0912345004", password="Ke-gian-2026-xyz", ip="203.0.113.9")
    sign_up(me, "0912345004")
    client_code = last_code("0912345004")  # only the phone's owner reads it
    assert me.post("/tai-khoan/xac-nhan/", {"code": client_code}).status_code == 302
    user = User.objects.get(phone="0912345004")
    assert user.check_password(PASSWORD)
    assert not user.check_password("Ke-gian-2026-xyz")
    # The attacker's pending sign-up cannot be confirmed with the code sent for mine.
    r = attacker.post("/tai-khoan/xac-nhan/", {"code": client_code})
    assert r.status_code == 200 and User.objects.filter(phone="0912345004").count() == 1


def test_wrong_codes_are_counted_and_the_code_expires(world: World, client: Client) -> None:
    at = timezone.now()
    row = actions.start_signup(
        Contact("sms", "0912345005"), full_name="A B", password=PASSWORD, at=at
    )
    code = last_code("0912345005")
    with pytest.raises(CodeError):
        actions.confirm_signup(row.pk, code, at=at + timedelta(minutes=10, seconds=1))
    row2 = actions.start_signup(
        Contact("sms", "0912345005"), full_name="A B", password=PASSWORD, at=at
    )
    code2 = last_code("0912345005")
    for _ in range(5):
        with pytest.raises(CodeError):
            actions.confirm_signup(row2.pk, "000000" if code2 != "000000" else "111111", at=at)
    with pytest.raises(CodeError, match="quá nhiều lần"):
        actions.confirm_signup(row2.pk, code2, at=at)
    assert not User.objects.filter(phone="0912345005").exists()


def test_codes_to_one_contact_are_limited(world: World) -> None:
    for i in range(3):
        r = sign_up(Client(), "0912345006", ip=f"198.51.100.{30 + i}")
        assert r.status_code == 302
    r = sign_up(Client(), "0912345006", ip="198.51.100.40")
    assert r.status_code == 200
    assert "quá nhiều mã" in r.content.decode()
    assert OutboxMessage.objects.filter(recipient="0912345006").count() == 3


def test_resend_replaces_the_code(world: World, client: Client) -> None:
    sign_up(client, "0912345007")
    first = last_code("0912345007")
    assert client.post("/tai-khoan/gui-lai-ma/").status_code == 302
    second = last_code("0912345007")
    if first != second:
        assert client.post("/tai-khoan/xac-nhan/", {"code": first}).status_code == 200
    assert client.post("/tai-khoan/xac-nhan/", {"code": second}).status_code == 302
    assert User.objects.get(phone="0912345007").check_password(PASSWORD)


def test_weak_passwords_and_bad_contacts_are_refused_in_vietnamese(
    world: World, client: Client
) -> None:
    r = sign_up(client, "0912345008", password="12345678")
    page = r.content.decode()
    assert r.status_code == 200 and "Mật khẩu" in page
    r = sign_up(client, "0123")
    assert r.status_code == 200 and "số điện thoại" in r.content.decode().lower()
    r = sign_up(client, "a@b")
    assert r.status_code == 200 and "email" in r.content.decode().lower()
    r = sign_up(client, "0912345008", full_name="12345")
    assert r.status_code == 200
    assert not OutboxMessage.objects.exists()


def test_sign_up_is_rate_limited_per_address(world: World, settings: Any) -> None:
    settings.RATE_LIMIT_ACCOUNT_PER_MINUTE = 3
    client = Client()
    statuses = [sign_up(client, f"091234501{i}", ip="203.0.113.50").status_code for i in range(5)]
    assert statuses[:3] == [302, 302, 302] and statuses[3:] == [429, 429]
    assert sign_up(Client(), "0912345019", ip="198.51.100.99").status_code == 302


def test_the_demo_writes_the_code_to_the_log(
    world: World,
    client: Client,
    settings: Any,
    caplog: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.CONFIRMATION_CODES_IN_LOG = True
    with (
        caplog.at_level(logging.WARNING, logger="citizens.codes"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sign_up(client, "0912345020")
    code = last_code("0912345020")
    assert any(code in record.getMessage() for record in caplog.records)
    page = client.get("/tai-khoan/xac-nhan/").content.decode()
    assert "Bản demo: mã xác nhận được ghi vào nhật ký máy chủ" in page
    settings.CONFIRMATION_CODES_IN_LOG = False
    caplog.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), "0912345021")
    assert not caplog.records
    assert "nhật ký máy chủ" not in client.get("/tai-khoan/xac-nhan/").content.decode()


def test_password_reset(world: World, client: Client) -> None:
    user = citizen(email="an@example.vn")
    r = client.post("/tai-khoan/quen-mat-khau/", {"contact": "an@example.vn"})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/quen-mat-khau/dat-lai/"
    code = last_code("an@example.vn")
    new = "Doi-mat-khau-2026"
    r = client.post(
        "/tai-khoan/quen-mat-khau/dat-lai/", {"code": code, "password1": new, "password2": new}
    )
    assert r.status_code == 200 and "mật khẩu" in r.content.decode().lower()
    user.refresh_from_db()
    assert user.check_password(new)
    # An unknown contact: the same answer, nothing sent, no code accepted.
    other = Client()
    r = other.post("/tai-khoan/quen-mat-khau/", {"contact": "khong-co@example.vn"})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/quen-mat-khau/dat-lai/"
    assert not OutboxMessage.objects.filter(recipient="khong-co@example.vn").exists()
    r = other.post(
        "/tai-khoan/quen-mat-khau/dat-lai/",
        {"code": "123456", "password1": new, "password2": new},
    )
    assert r.status_code == 200 and "Mã không đúng" in r.content.decode()
    # ...the same words a wrong code for a real account gets.
    r = client.post("/tai-khoan/quen-mat-khau/", {"contact": "an@example.vn"})
    r = client.post(
        "/tai-khoan/quen-mat-khau/dat-lai/",
        {"code": "12345x", "password1": new, "password2": new},
    )
    assert r.status_code == 200 and "Mã không đúng" in r.content.decode()
