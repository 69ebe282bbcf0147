"""The intake payloads of issue 14 that gave 500 on PostgreSQL (or were stored as sent on
SQLite) are refused with 422 and a Vietnamese message; good variants are stored normalised."""

import json
from typing import Any

import pytest
from django.test import Client

from conftest import World
from dossiers.models import Dossier
from testing.api import bearer

APPLICANT = {"kind": "person", "name": "Nguyễn Văn A", "id_number": "087095000123"}
BASE: dict[str, Any] = {
    "procedure": "1.001193",
    "receiving_unit": "30001",
    "channel": "1",
    "documents": [{"position": 1}],
}


def _intake(client: Client, **applicant: str) -> Any:
    body = {**BASE, "applicant": {**APPLICANT, "phone": "0912345678", **applicant}}
    return client.post(
        "/api/v1/dossiers", body, content_type="application/json", **bearer(client, "desk_a")
    )


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        # The five payloads longer than their columns.
        ("name", "A" * 201, "tối đa 200 ký tự"),
        ("name", "Nguyễn " * 143, "tối đa 200 ký tự"),  # 1,001 characters, as in the demo
        ("address", "Số 1 " * 61, "tối đa 300 ký tự"),
        ("phone", "0912345678" * 3, "tối đa 20 ký tự"),
        ("email", "a" * 60 + "@" + "b" * 200 + ".vn", "tối đa 254 ký tự"),
        # The input checks.
        ("id_number", "０８７０９５０００１２３", "12 chữ số"),
        ("id_number", "٠٨٧٠٩٥٠٠٠١٢٣", "12 chữ số"),
        ("id_number", "087095000123\n", "điều khiển"),
        ("name", "\u200b\u200c", "chữ cái"),
        ("name", "Nguyễn \u202eA nevaN", "đổi chiều"),
        ("address", "Số 1\u2066 Lê Lợi", "đổi chiều"),
        ("email", "not-an-email", "thư điện tử"),
        ("phone", "0612345678", "số điện thoại"),
        ("phone", "+1 202 555 0100", "số điện thoại"),
    ],
)
def test_bad_applicant_is_refused_in_vietnamese(
    world: World, client: Client, field: str, value: str, needle: str
) -> None:
    r = _intake(client, **{field: value})
    assert r.status_code == 422, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert needle in body["detail"], body
    assert f"applicant.{field}" in json.dumps(body)
    assert Dossier.objects.count() == 0


def test_the_id_message_is_all_vietnamese(world: World, client: Client) -> None:
    detail = _intake(client, id_number="12345").json()["detail"]
    assert "must be" not in detail and "digits" not in detail


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("+84 912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(0277) 385 1234", "02773851234"),
    ],
)
def test_good_phone_is_stored_normalised(
    world: World, client: Client, phone: str, stored: str
) -> None:
    r = _intake(client, phone=phone, email="an@example.vn", name="A" * 200)
    assert r.status_code == 201, r.content
    assert Dossier.objects.get().applicant_phone == stored


def test_control_characters_in_an_action_reason_are_refused(world: World, client: Client) -> None:
    code = _intake(client).json()["code"]
    r = client.post(
        f"/api/v1/dossiers/{code}/actions/forward",
        {"version": 1, "reason": "ok\x1b[31m"},
        content_type="application/json",
        **bearer(client, "desk_a"),
    )
    assert r.status_code == 422
    assert "điều khiển" in r.json()["detail"]


def test_every_problem_of_an_intake_is_listed_by_field(world: World, client: Client) -> None:
    body = {
        **BASE,
        "documents": [],
        "applicant": {**APPLICANT, "id_number": "12345", "email": "not-an-email"},
    }
    r = client.post(
        "/api/v1/dossiers", body, content_type="application/json", **bearer(client, "desk_a")
    )
    assert r.status_code == 422, r.content
    problem = r.json()
    fields = [e["field"] for e in problem["errors"]]
    # The schema refuses the email first; with it fixed, the rules find the other three.
    assert fields == ["payload.applicant.email"]
    body["applicant"]["email"] = ""
    r = client.post(
        "/api/v1/dossiers", body, content_type="application/json", **bearer(client, "desk_a")
    )
    problem = r.json()
    assert r.status_code == 422 and problem["type"].endswith("/invalid-input")
    by_field = {e["field"]: e["message"] for e in problem["errors"]}
    assert list(by_field) == ["applicant.id_number", "applicant.phone", "documents"]
    assert "12 chữ số" in by_field["applicant.id_number"]
    assert "liên hệ" in by_field["applicant.phone"]
    assert "Tờ khai đăng ký khai sinh" in by_field["documents"]
    assert all(m in problem["detail"] for m in by_field.values())
    assert Dossier.objects.count() == 0
