"""Online filing over HTTP: validation, refused uploads, the draft, the submission (once),
the desk's side, and nobody else's dossier."""

from typing import Any

import pytest
from django.test import Client

from conftest import World
from dossiers import actions
from dossiers.models import Attachment, Dossier, Status
from filing.models import Draft, DraftFile
from testing import files
from testing.clamd import stored_files
from testing.filing import (
    add_marital_status,
    fill_applicant,
    send_file,
    signed_in_citizen,
    submit,
    upload,
)
from uploads.models import StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(world: World) -> str:
    return add_marital_status(world)


def _filed(world: World, code: str, client: Any) -> Dossier:
    assert fill_applicant(client, code, world.ward_a.pk).status_code == 302
    assert send_file(client, code, 1, upload("to-khai.pdf", files.pdf())).status_code == 302
    png = upload("cccd.png", files.png(), "image/png")
    assert send_file(client, code, 2, png).status_code == 302
    r = submit(client, code)
    assert r.status_code == 302, r.content.decode()[:2000]
    return Dossier.objects.get(code=r["Location"].rstrip("/").rsplit("/", 1)[1])


def test_signin_required_and_only_online_procedures(world: World, code: str, client: Any) -> None:
    r = client.get(f"/nop-ho-so/{code}/")
    assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/dang-nhap/")
    _user, c = signed_in_citizen()
    assert c.get("/nop-ho-so/9.999999/").status_code == 404


def test_the_form_is_prefilled_and_validated_in_vietnamese(world: World, code: str) -> None:
    _user, client = signed_in_citizen(name="Trần Thị Bình")
    page = client.get(f"/nop-ho-so/{code}/")
    assert page["Cache-Control"] == "no-store"
    body = page.content.decode()
    assert "Trần Thị Bình" in body and "087095000123" in body and "0912000111" in body
    # Units where the procedure can be filed: both wards, never the province.
    assert "Phường An Bình" in body and "Phường Hồng Ngự" in body
    r = fill_applicant(client, code, world.ward_a.pk, id_number="12345", name="")
    assert r.status_code == 200
    text = r.content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số (0-9)." in text
    assert "Thiếu họ tên người nộp hồ sơ." in text
    # A unit where the procedure cannot be filed is not a choice.
    r = fill_applicant(client, code, world.province.pk)
    assert r.status_code == 200
    assert Draft.objects.get().unit_id is None


def test_refused_uploads_store_nothing_and_say_why(
    world: World, code: str, scanner: Any, settings: Any
) -> None:
    _user, client = signed_in_citizen()
    fill_applicant(client, code, world.ward_a.pk)
    r = send_file(client, code, 1, upload("to-khai.pdf", files.EICAR))
    assert r.status_code == 422
    assert "mã độc" in r.content.decode()
    r = send_file(client, code, 1, upload("to-khai.pdf", files.exe()))
    assert r.status_code == 422
    assert "Không chấp nhận tệp loại này" in r.content.decode()
    r = send_file(client, code, 1, upload("rong.pdf", b""))
    assert r.status_code == 422
    assert "Tệp trống." in r.content.decode()
    assert not DraftFile.objects.exists() and not StoredFile.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_the_draft_is_kept_between_visits_and_can_be_deleted(
    world: World, code: str, scanner: Any, settings: Any
) -> None:
    user, client = signed_in_citizen()
    fill_applicant(client, code, world.ward_a.pk)
    send_file(client, code, 1, upload("to-khai.pdf", files.pdf()))
    client.logout()
    client.force_login(user, backend="accounts.backends.CitizenBackend")
    page = client.get(f"/nop-ho-so/{code}/giay-to/").content.decode()
    assert "to-khai.pdf" in page
    assert "12 Nguyễn Huệ" in client.get(f"/nop-ho-so/{code}/").content.decode()
    # Replacing the file lets the first one go.
    send_file(client, code, 1, upload("to-khai-2.pdf", files.pdf()))
    assert StoredFile.objects.count() == 1
    r = client.post(f"/nop-ho-so/{code}/xoa/")
    assert r.status_code == 302
    assert "Bản nháp đã được xóa." in client.get(r["Location"]).content.decode()
    assert not Draft.objects.exists() and not StoredFile.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_a_required_document_missing_refuses_the_submission(
    world: World, code: str, scanner: Any
) -> None:
    _user, client = signed_in_citizen()
    fill_applicant(client, code, world.ward_a.pk)
    send_file(client, code, 2, upload("cccd.png", files.png(), "image/png"))
    r = submit(client, code)
    assert r.status_code == 422
    assert "Hãy tải lên các giấy tờ bắt buộc trước" in r.content.decode()
    assert not Dossier.objects.exists()


def test_submitting_files_one_dossier_which_the_desk_receives(
    world: World, code: str, scanner: Any, client: Any
) -> None:
    user, c = signed_in_citizen()
    review = c.get(f"/nop-ho-so/{code}/xem-lai/")
    d = _filed(world, code, c)
    assert d.status == Status.SUBMITTED and d.channel == "2" and d.applicant_user == user
    atts = list(Attachment.objects.filter(dossier=d).order_by("document"))
    assert [(a.document, a.purpose) for a in atts] == [(1, "intake"), (2, "intake")]
    assert not Draft.objects.filter(owner=user).exists()
    # The second click posts the same draft: one dossier, and the citizen is told.
    again = c.post(f"/nop-ho-so/{code}/xem-lai/", {"draft": review.context["draft"].pk})
    assert again.status_code == 302 and again["Location"] == "/ho-so-cua-toi/"
    assert Dossier.objects.count() == 1
    assert "đã được nộp" in c.get("/ho-so-cua-toi/").content.decode()
    # The desk: in "to receive", each file shown inline, accepts.
    client.force_login(world.desk_a)
    assert d.code in client.get("/desk/queue/to_receive/").content.decode()
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "to-khai.pdf" in page and "cccd.png" in page
    r = client.get(f"/desk/dossiers/{d.code}/attachments/{atts[0].pk}")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    actions.accept(d, actor=world.desk_a, at=d.submitted_at)
    page = c.get(f"/ho-so-cua-toi/{d.code}/")
    assert page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "Tiếp nhận hồ sơ" in text and "Đang xử lý" in text


def test_a_refusal_reason_reaches_the_citizen(world: World, code: str, scanner: Any) -> None:
    _user, c = signed_in_citizen()
    d = _filed(world, code, c)
    actions.refuse(d, actor=world.desk_a, at=d.submitted_at, reason="Tờ khai thiếu chữ ký.")
    text = c.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert "Tờ khai thiếu chữ ký." in text and "Từ chối" in text


def test_another_citizen_gets_404_on_every_page_and_file(
    world: World, code: str, scanner: Any
) -> None:
    _owner, c = signed_in_citizen()
    d = _filed(world, code, c)
    a = Attachment.objects.filter(dossier=d).first()
    assert a is not None
    assert c.get(f"/ho-so-cua-toi/{d.code}/tep/{a.pk}/").status_code == 200
    _other, o = signed_in_citizen("0912000222", id_number="087095000999")
    for url in (
        f"/ho-so-cua-toi/{d.code}/",
        f"/ho-so-cua-toi/{d.code}/tep/{a.pk}/",
        f"/ho-so-cua-toi/{d.code}/ket-qua.pdf",
    ):
        assert o.get(url).status_code == 404, url
    for url in (f"/ho-so-cua-toi/{d.code}/bo-sung/", f"/ho-so-cua-toi/{d.code}/danh-gia/"):
        assert o.post(url, {"value": "satisfied"}).status_code == 404, url
    assert d.code not in o.get("/ho-so-cua-toi/").content.decode()
    assert "to-khai.pdf" not in o.get("/ho-so-cua-toi/giay-to/").content.decode()
    # Staff are not citizens: sent to the citizen's sign-in.
    staff = Client()
    staff.force_login(world.desk_a)
    assert staff.get(f"/ho-so-cua-toi/{d.code}/").status_code == 302
