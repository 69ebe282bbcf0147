"""The desk pages through HTTP: sign-in with lockout, inboxes, intake, dossier, actions."""

import re

import pytest
from django.test import Client

from audit.models import PersonalDataView
from conftest import World
from dossiers.models import Dossier, Status
from testing.api import INTAKE_FORM


def signed_in(client: Client, username: str) -> Client:
    r = client.post("/desk/login/", {"username": username, "password": "pw-" + username})
    assert r.status_code == 302, r.content.decode()[:500]
    return client


def receive(client: Client) -> str:
    r = client.post("/desk/intake/", INTAKE_FORM)
    assert r.status_code == 302, r.content.decode()[:2000]
    return r["Location"].rstrip("/").rsplit("/", 1)[-1]


def test_sign_in_locks_after_repeated_failures(world: World, client: Client) -> None:
    for _ in range(4):
        r = client.post("/desk/login/", {"username": "desk_a", "password": "wrong"})
        assert r.status_code == 200
    assert "1 lần" in r.content.decode()
    r = client.post("/desk/login/", {"username": "desk_a", "password": "wrong"})
    assert r.status_code == 429
    assert "khóa" in r.content.decode() and r["Retry-After"]
    # Even the right password is refused while locked.
    r = client.post("/desk/login/", {"username": "desk_a", "password": "pw-desk_a"})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_intake_to_return_through_pages(world: World, client: Client) -> None:
    signed_in(client, "desk_a")
    page = client.get("/desk/intake/?procedure=1.001193").content.decode()
    assert ("Tờ khai đăng ký khai sinh" in page and "17:00" in page) or "giờ" in page
    code = receive(client)
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.IN_PROGRESS
    page = client.get(f"/desk/dossiers/{code}/").content.decode()
    assert code in page and "087095000123" not in page  # the ID is masked
    # Forwarding cannot be undone: without the confirmation box the page asks for it.
    r = client.post(f"/desk/dossiers/{code}/act/forward/", {"version": dossier.version})
    assert r.status_code == 200 and "xác nhận" in r.content.decode().lower()
    dossier.refresh_from_db()
    assert dossier.current_step is not None and dossier.current_step.position == 1
    r = client.post(
        f"/desk/dossiers/{code}/act/forward/", {"version": dossier.version, "confirm": "1"}
    )
    assert r.status_code == 302

    spec = signed_in(Client(), "specialist_a")
    inbox = spec.get("/desk/queue/in_progress/").content.decode()
    assert code in inbox
    dossier.refresh_from_db()
    r = spec.post(f"/desk/dossiers/{code}/act/send_back/", {"version": dossier.version})
    page = spec.get(r["Location"]).content.decode() if r.status_code == 302 else r.content.decode()
    assert "lý do" in page.lower()
    forward = {"version": dossier.version, "confirm": "1"}
    # The appraisal's opinion is required, and said beside its field.
    r = spec.post(f"/desk/dossiers/{code}/act/forward/", forward)
    assert r.status_code == 200 and 'id="field-comment"' in r.content.decode()
    assert "ý kiến thẩm định" in r.content.decode()
    r = spec.post(f"/desk/dossiers/{code}/act/forward/", {**forward, "comment": "Đủ điều kiện."})
    assert r.status_code == 302

    lead = signed_in(Client(), "leader_a")
    assert code in lead.get("/desk/queue/awaiting_signature/").content.decode()
    assert lead.get("/desk/")["Location"].endswith("/queue/awaiting_signature/")
    dossier.refresh_from_db()
    lead.post(
        f"/desk/dossiers/{code}/act/approve/",
        {"version": dossier.version, "confirm": "1", "comment": "Đồng ý."},
    )

    assert code in client.get("/desk/queue/results_ready/").content.decode()
    dossier.refresh_from_db()
    client.post(
        f"/desk/dossiers/{code}/act/return_result/",
        {
            "version": dossier.version,
            "confirm": "1",
            "return_method": "desk",
            "collector_name": "Nguyễn Văn A",
        },
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    receipt = client.get(f"/desk/dossiers/{code}/receipt/").content.decode()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt and dossier.public_secret in receipt
    # It shows the full ID number, phone and address: logged as reveals, with the reason.
    assert dossier.applicant_id_number in receipt
    logged = PersonalDataView.objects.filter(dossier=dossier, user__username="desk_a")
    assert sorted(logged.values_list("field", flat=True)) == ["address", "id_number", "phone"]
    assert "Giấy tiếp nhận" in logged.first().reason  # type: ignore[union-attr]


def test_other_ward_gets_404(world: World, client: Client) -> None:
    signed_in(client, "desk_a")
    code = receive(client)
    other = signed_in(Client(), "desk_b")
    assert other.get(f"/desk/dossiers/{code}/").status_code == 404
    assert other.post(f"/desk/dossiers/{code}/act/forward/", {"version": 1}).status_code == 404
    assert code not in other.get("/desk/queue/in_progress/").content.decode()


def test_bad_intake_shows_the_reason_and_writes_nothing(world: World, client: Client) -> None:
    signed_in(client, "desk_a")
    r = client.post(
        "/desk/intake/",
        {
            "procedure": "1.001193",
            "channel": "1",
            "applicant_kind": "person",
            "applicant_name": "Nguyễn Văn A",
            "applicant_id_number": "12345",
            "applicant_phone": "0912345678",
            "sets_count": "1",
        },
    )
    assert r.status_code == 200
    assert Dossier.objects.count() == 0
    assert re.search("Thiếu thành phần|12", r.content.decode())


def test_search_is_diacritic_insensitive(world: World, client: Client) -> None:
    signed_in(client, "desk_a")
    code = receive(client)
    page = client.get("/desk/queue/in_progress/", {"q": "nguyen van a"}).content.decode()
    assert code in page
    assert "********0123" in page


def test_procedure_search_fragment(world: World, client: Client) -> None:
    signed_in(client, "desk_a")
    page = client.get("/desk/intake/procedures/", {"q": "khai sinh"}).content.decode()
    assert "1.001193" in page


@pytest.mark.parametrize("url", ["/desk/", "/desk/queue/overdue/", "/desk/intake/"])
def test_anonymous_is_sent_to_sign_in(client: Client, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/desk/login/")


def test_specialist_cannot_open_intake_and_is_told_why(world: World, client: Client) -> None:
    signed_in(client, "specialist_a")
    r = client.get("/desk/intake/")
    assert r.status_code == 403
    assert "Chỉ cán bộ một cửa mới được tiếp nhận hồ sơ" in r.content.decode()


def test_unknown_dossier_is_a_friendly_404(world: World, client: Client) -> None:
    signed_in(client, "desk_a")
    r = client.get("/desk/dossiers/KHONG-CO/")
    assert r.status_code == 404 and "Không tìm thấy" in r.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("applicant_name", "A" * 1001, "tối đa 200 ký tự"),
        ("applicant_name", "\u200b\u200b", "chữ cái"),
        ("applicant_name", "Nguyễn \u202eA", "đổi chiều"),
        ("applicant_address", "x" * 301, "tối đa 300 ký tự"),
        ("applicant_phone", "0912345678" * 3, "số điện thoại"),
        ("applicant_email", "a@b", "thư điện tử"),
        ("applicant_id_number", "087095000123\x1b", "điều khiển"),
        ("applicant_id_number", "０８７０９５０００１２３", "12 chữ số"),
    ],
)
def test_desk_intake_refuses_bad_applicant_fields(
    world: World, client: Client, field: str, value: str, needle: str
) -> None:
    signed_in(client, "desk_a")
    data = {**INTAKE_FORM, field: value}
    r = client.post("/desk/intake/", data)
    assert r.status_code == 200
    assert needle in r.content.decode()
    assert Dossier.objects.count() == 0
