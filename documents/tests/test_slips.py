"""Forms 02-06 come out when their action happened, with the law's fields; online gets none."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import World
from documents.models import IssuedDocument
from dossiers import actions
from dossiers.models import Dossier
from testing.clock import vn
from testing.dossiers import intake
from testing.pdf import has, text_of


@pytest.fixture
def desk(client: Client) -> Client:
    client.post("/desk/login/", {"username": "desk_a", "password": "pw-desk_a"})
    return client


def test_supplement_apology_and_control_slips(world: World, desk: Client, tmp_path: Path) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    d = actions.request_supplement(
        d,
        actor=world.specialist_a,
        at=vn(2026, 3, 3, 9),
        reason="Giấy tờ hết hạn",
        missing_documents=["Giấy chứng sinh bản chính"],
    )
    d = actions.supplement(d, actor=world.desk_a, at=vn(2026, 3, 4, 9))
    d = actions.apologize(
        d,
        actor=world.leader_a,
        at=vn(2026, 3, 5, 8),
        reason="Cần xác minh thêm với Công an phường",
        new_due=vn(2026, 3, 12, 17),
    )
    t02 = text_of(
        desk.get(f"/desk/dossiers/{d.code}/papers/02.pdf").content, tmp_path, "form02-supplement"
    )
    has(
        t02,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        d.code,
        "Giấy chứng sinh bản chính",
        "Giấy tờ hết hạn",
        "Số: 1/PYCBS",
        "số điện thoại",
        "Nguyễn Văn A",
        "Đăng ký khai sinh",
        "Trần Văn Hùng",
        "Mẫu số 02",
    )
    t04 = text_of(
        desk.get(f"/desk/dossiers/{d.code}/papers/04.pdf").content, tmp_path, "form04-apology"
    )
    has(
        t04,
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "UBND PHƯỜNG AN BÌNH",
        "VĂN PHÒNG HĐND VÀ UBND",  # the processing agency issues it, not the leadership
        "Số: 1/VBXL",
        "Cần xác minh thêm với Công an phường",
        "vào lúc 17 giờ 00 phút, ngày 12 tháng 3 năm 2026",
        "Phường An Bình, ngày 05 tháng 3 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN",
        "xin lỗi",
        "Lê Văn Đức",
        "Bộ phận Một cửa",
    )
    t06 = text_of(
        desk.get(f"/desk/dossiers/{d.code}/papers/06.pdf").content, tmp_path, "form06-control"
    )
    has(
        t06,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Giao: Bộ phận Một cửa",
        "Nhận: Văn phòng HĐND và UBND",
        "Người giao: Nguyễn Thị Mai (ký)",
        "Người nhận:",
        "Đúng hạn",
        "Mẫu số 06",
    )
    # No stop, no refusal happened: those slips do not exist.
    assert desk.get(f"/desk/dossiers/{d.code}/papers/05.pdf").status_code == 404
    assert desk.get(f"/desk/dossiers/{d.code}/papers/03.pdf").status_code == 404


def test_refusal_and_stop_slips(world: World, desk: Client, tmp_path: Path) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    d = actions.forward(d, actor=world.specialist_a, at=vn(2026, 3, 2, 11), comment="Đủ điều kiện.")
    d = actions.refuse_result(
        d, actor=world.leader_a, at=vn(2026, 3, 3, 9), reason="Không đủ điều kiện đăng ký"
    )
    t03 = text_of(
        desk.get(f"/desk/dossiers/{d.code}/papers/03.pdf").content, tmp_path, "form03-refusal"
    )
    has(
        t03,
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
        "đã xem xét hồ sơ của",
        "hồ sơ không được giải quyết",
        "Không đủ điều kiện đăng ký",
    )
    # Refused by the leader, not at the desk: nobody "received" anything here.
    assert "đãtiếpnhậnhồsơ" not in t03
    s = intake(world, vn(2026, 3, 2, 9))
    actions.stop(s, actor=world.desk_a, at=vn(2026, 3, 2, 14), reason="Người nộp đề nghị rút hồ sơ")
    t05 = text_of(
        desk.get(f"/desk/dossiers/{s.code}/papers/05.pdf").content, tmp_path, "form05-stop"
    )
    has(
        t05,
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Điều 21 Nghị định số 118/2025/NĐ-CP",
        "Số: 2/TBDGQ",
        "14 giờ 00 phút, ngày 02 tháng 3 năm 2026",
        "Người nộp đề nghị rút hồ sơ",
    )


def test_online_dossiers_get_no_paper_slip(world: World, desk: Client) -> None:
    d = intake(world, vn(2026, 3, 2, 9), channel="2")
    assert desk.get(f"/desk/dossiers/{d.code}/papers/01.pdf").status_code == 404
    assert "papers/01.pdf" not in desk.get(f"/desk/dossiers/{d.code}/").content.decode()


def test_a_dossier_missing_an_applicant_field_gets_a_message_not_a_paper(
    world: World, desk: Client
) -> None:

    d = intake(world, vn(2026, 3, 2, 9))
    # As an old import might leave it.
    Dossier.objects.filter(pk=d.pk).update(applicant_name="", applicant_id_number="")
    r = desk.get(f"/desk/dossiers/{d.code}/papers/01.pdf", follow=True)
    body = r.content.decode()
    assert r.redirect_chain and "không in được" in body
    assert "tên người nộp" in body and "số định danh" in body
    assert not IssuedDocument.objects.filter(dossier=d).exists()


def test_a_province_adjusts_a_form_from_its_own_template_dir(
    world: World, desk: Client, tmp_path: Path, settings: Any
) -> None:
    """LOCAL_TEMPLATES_DIR comes first: a copy of form05.html there replaces ours."""
    base = Path(__file__).resolve().parents[1] / "templates" / "documents" / "form05.html"
    own = tmp_path / "local" / "documents" / "form05.html"
    own.parent.mkdir(parents=True)
    own.write_text(
        base.read_text(encoding="utf-8").replace(
            "{% block body %}", "{% block body %}<p>Mẫu riêng của tỉnh Đồng Tháp</p>"
        ),
        encoding="utf-8",
    )
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [tmp_path / "local", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    s = intake(world, vn(2026, 3, 2, 9))
    actions.stop(s, actor=world.desk_a, at=vn(2026, 3, 2, 14), reason="Rút hồ sơ")
    text = text_of(
        desk.get(f"/desk/dossiers/{s.code}/papers/05.pdf").content, tmp_path, "x", shot=False
    )
    has(text, "Mẫu riêng của tỉnh Đồng Tháp", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
