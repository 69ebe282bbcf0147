"""Online dossiers at the desk: the inbox shows their files, the page shows each inline and
says how many required documents are on file, and the desk receives or refuses with a reason."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from catalog.models import ProcedureVersion
from dossiers import actions
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier, DossierEvent, Status
from lib.clamd import Clamd
from testing import files
from testing.api import login
from testing.world import World


def _filed_online(world: World, *, with_file: bool = True) -> Dossier:
    """A citizen's online filing, its required document uploaded through the gate."""
    d = actions.file_dossier(
        actor=world.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=world.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=timezone.now(),
    )
    if with_file:
        upload = SimpleUploadedFile("to-khai.pdf", files.pdf(), "application/pdf")
        actions.attach_upload(d, upload, document=1, by=world.citizen, at=timezone.now())
    return d


def test_the_desk_sees_views_and_refuses_an_online_filing_with_a_reason(
    scanner: Clamd, world: World, client: Client
) -> None:
    d = _filed_online(world)
    bare = _filed_online(world, with_file=False)
    login(client, "desk_a")
    inbox = client.get("/desk/queue/to_receive/").content.decode()
    assert d.code in inbox and bare.code in inbox
    assert "1 tệp đính kèm" in inbox and "Chưa có tệp đính kèm" in inbox

    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    attachment = d.attachments.get()
    url = f"/desk/dossiers/{d.code}/attachments/{attachment.pk}"
    assert f'<iframe class="scan" src="{url}"' in page
    assert "Đã số hóa: 1/1 giấy tờ bắt buộc" in page
    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["X-Frame-Options"] == "SAMEORIGIN"  # the page's frame may show it
    assert (
        "Đã số hóa: 0/1 giấy tờ bắt buộc"
        in client.get(f"/desk/dossiers/{bare.code}/").content.decode()
    )

    reason = "Tờ khai không có chữ ký của người yêu cầu."
    r = client.post(
        f"/desk/dossiers/{bare.code}/act/refuse/", {"version": bare.version, "reason": reason}
    )
    assert r.status_code == 302
    bare.refresh_from_db()
    assert bare.status == Status.REFUSED
    assert DossierEvent.objects.get(dossier=bare, verb="refuse").reason == reason
    assert reason in client.get(f"/desk/dossiers/{bare.code}/").content.decode()

    r = client.post(f"/desk/dossiers/{d.code}/act/accept/", {"version": d.version})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and d.received_at is not None


def test_refusing_without_a_reason_is_refused(world: World, client: Client) -> None:
    d = _filed_online(world, with_file=False)
    login(client, "desk_a")
    r = client.post(f"/desk/dossiers/{d.code}/act/refuse/", {"version": d.version, "reason": ""})
    assert r.status_code == 200
    d.refresh_from_db()
    assert d.status == Status.SUBMITTED
    assert not DossierEvent.objects.filter(dossier=d, verb="refuse").exists()
