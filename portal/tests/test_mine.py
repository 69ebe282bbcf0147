"""The citizen's dossier pages over HTTP: a supplement answered by upload, the signed result,
the rating (once), and the wallet (reuse by reference, never someone else's file)."""

from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from documents.models import Form, IssuedDocument
from dossiers import actions
from dossiers.models import Attachment, Dossier, Status
from filing.models import DraftFile
from stats.models import Rating
from testing import files
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


def _filed(world: World, client: Any) -> Dossier:
    code = add_marital_status(world)
    fill_applicant(client, code, world.ward_a.pk)
    send_file(client, code, 1, upload("to-khai.pdf", files.pdf()))
    r = submit(client, code)
    assert r.status_code == 302
    return Dossier.objects.get(code=r["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_supplement_request_is_answered_by_upload(world: World, scanner: Any) -> None:
    _user, c = signed_in_citizen()
    d = _filed(world, c)
    d = actions.request_supplement(
        d,
        actor=world.desk_a,
        at=timezone.now(),
        reason="Cần bản chụp giấy tờ tùy thân.",
        missing_documents=["Giấy tờ tùy thân của người yêu cầu"],
    )
    page = c.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert "Cần bản chụp giấy tờ tùy thân." in page and 'name="file-2"' in page
    # Nothing chosen: refused, nothing changes.
    r = c.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {})
    assert "Hãy chọn ít nhất một tệp để gửi." in c.get(r["Location"]).content.decode()
    # An infected file: refused, the status stays, nothing kept.
    before = StoredFile.objects.count()
    r = c.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {"file-2": upload("cccd.pdf", files.EICAR)})
    assert "mã độc" in c.get(r["Location"]).content.decode()
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED and StoredFile.objects.count() == before
    r = c.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/",
        {"file-2": upload("cccd.png", files.png(), "image/png")},
    )
    assert "Giấy tờ của bạn đã được gửi." in c.get(r["Location"]).content.decode()
    d.refresh_from_db()
    assert d.status == Status.SUBMITTED
    sup = Attachment.objects.get(dossier=d, purpose="supplement")
    assert sup.document == 2
    assert list(d.events.values_list("verb", flat=True))[-2:] == ["attach", "supplement"]


def _approved(world: World, c: Any, *, check: Any = None) -> Dossier:
    d = _filed(world, c)
    at = timezone.now()
    d = actions.accept(d, actor=world.desk_a, at=at)
    if check is not None:
        check(d)
    d = actions.forward(d, actor=world.desk_a, at=at)
    d = actions.forward(d, actor=world.specialist_a, at=at, comment="Đủ điều kiện.")
    return actions.approve(d, actor=world.leader_a, at=at)


def test_the_signed_result_is_downloaded_and_rated_once(
    world: World, scanner: Any, pki: Any
) -> None:
    _user, c = signed_in_citizen()

    def not_yet(d: Dossier) -> None:
        assert c.get(f"/ho-so-cua-toi/{d.code}/ket-qua.pdf").status_code == 404
        assert "Gửi đánh giá" not in c.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
        r = c.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"value": "satisfied"})
        assert r.status_code == 302
        assert not Rating.objects.exists()

    d = _approved(world, c, check=not_yet)
    assert d.status == Status.RESULT_READY
    page = c.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert "Đã có kết quả." in page and "Gửi đánh giá" in page
    r = c.get(f"/ho-so-cua-toi/{d.code}/ket-qua.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r["Cache-Control"] == "no-store"
    r = c.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"value": "very_satisfied", "comment": "Tốt"})
    assert "Cảm ơn bạn đã đánh giá." in c.get(r["Location"]).content.decode()
    r = c.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"value": "dissatisfied"})
    assert "Hồ sơ này đã được đánh giá." in c.get(r["Location"]).content.decode()
    assert Rating.objects.get(dossier=d).value == "very_satisfied"


def test_the_wallet_reuses_the_same_file_and_never_another_citizens(
    world: World, scanner: Any
) -> None:
    _user, c = signed_in_citizen()
    d = _filed(world, c)
    mine = Attachment.objects.get(dossier=d)
    page = c.get("/ho-so-cua-toi/giay-to/").content.decode()
    assert "to-khai.pdf" in page and d.code in page
    # A second filing (birth registration) takes the form from the wallet: no copy.
    fill_applicant(c, "1.001193", world.ward_a.pk)
    r = c.post("/nop-ho-so/1.001193/giay-to/", {"document": 1, "wallet": str(mine.file_id)})
    assert r.status_code == 302
    count = StoredFile.objects.count()
    r = submit(c, "1.001193")
    assert r.status_code == 302
    second = Dossier.objects.exclude(pk=d.pk).get()
    reused = Attachment.objects.get(dossier=second)
    assert reused.file_id == mine.file_id and reused.sha256 == mine.sha256
    assert StoredFile.objects.count() == count
    # Someone else cannot take it, even knowing its id.
    _other, o = signed_in_citizen("0912000333", id_number="087095000777")
    fill_applicant(o, "1.001193", world.ward_a.pk)
    r = o.post("/nop-ho-so/1.001193/giay-to/", {"document": 1, "wallet": str(mine.file_id)})
    assert r.status_code == 422
    assert "Giấy tờ này không có trong kho giấy tờ của bạn." in r.content.decode()
    r = o.post("/nop-ho-so/1.001193/giay-to/", {"document": 1, "wallet": "not-a-uuid"})
    assert r.status_code == 422
    assert not DraftFile.objects.filter(draft__owner=_other).exists()
    assert "to-khai.pdf" not in o.get("/ho-so-cua-toi/giay-to/").content.decode()
    # Deleting a draft that reused a file keeps the file.
    c.post("/nop-ho-so/1.001193/giay-to/", {"document": 1, "wallet": str(mine.file_id)})
    c.post("/nop-ho-so/1.001193/xoa/")
    assert StoredFile.objects.filter(pk=mine.file_id).exists()


def test_a_signed_result_received_is_reused_from_the_wallet(
    world: World, scanner: Any, pki: Any
) -> None:
    _user, c = signed_in_citizen()
    d = _approved(world, c)
    assert c.get(f"/ho-so-cua-toi/{d.code}/ket-qua.pdf").status_code == 200  # signed now
    issued = IssuedDocument.objects.get(dossier=d, form=Form.RESULT)
    page = c.get("/ho-so-cua-toi/giay-to/").content.decode()
    assert f"{d.code}-ket-qua.pdf" in page
    key = f"ket-qua:{issued.pk}"
    _other, o = signed_in_citizen("0912000555", id_number="087095000888")
    fill_applicant(o, "1.001193", world.ward_a.pk)
    r = o.post("/nop-ho-so/1.001193/giay-to/", {"document": 1, "wallet": key})
    assert r.status_code == 422
    assert "Giấy tờ này không có trong kho giấy tờ của bạn." in r.content.decode()
    fill_applicant(c, "1.001193", world.ward_a.pk)
    r = c.post("/nop-ho-so/1.001193/giay-to/", {"document": 1, "wallet": key})
    assert r.status_code == 302
    chosen = DraftFile.objects.get(draft__owner=_user)
    assert chosen.reused and chosen.file.sha256 == issued.sha256
    # Kept once, as the first dossier's result: picked again, the same stored file.
    kept = Attachment.objects.get(dossier=d, purpose="result")
    assert kept.file_id == chosen.file_id
    c.post("/nop-ho-so/1.001193/giay-to/", {"document": 1, "wallet": str(kept.file_id)})
    assert StoredFile.objects.filter(sha256=issued.sha256).count() == 1
