"""The desk answers a report with a public reply and a photo; the citizen and the public see it;
ward B sees nothing of ward A; warnings and escalation once; the wall's figure."""

from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dossiers.models import OutboxMessage
from fieldreports import warnings
from fieldreports.actions import Submission, submit
from fieldreports.figures import closed_in, open_and_late
from fieldreports.models import FieldReport, ReportStatus
from fieldreports.tests.open311 import Open311
from orgs.models import Role, StaffRole
from testing import citizens, files
from testing.clock import vn
from testing.world import World

pytestmark = pytest.mark.django_db

CONTACT = {"phone": "0912345678", "email": "bao@example.vn", "first_name": "Bảo"}


def _report(world: World, **kw: Any) -> FieldReport:
    sub = Submission(service_code="roads", jurisdiction_id="30001", description="Ổ gà", **kw)
    return submit(sub, at=vn(2026, 3, 13, 9, 0))


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ward_a_answers_and_closes_with_a_photo_the_public_sees_it(
    world: World, scanner: Any
) -> None:
    report = _report(world, **CONTACT)
    desk = _signed_in(world.desk_a)
    with time_machine.travel(vn(2026, 3, 13, 10, 0), tick=False):
        listing = desk.get("/desk/field-reports/")
        assert f"#{report.pk}".encode() in listing.content
        page = desk.get(f"/desk/field-reports/{report.pk}/")
        assert page.status_code == 200
        assert b"0912345678" not in page.content  # masked on the desk too
        photo = SimpleUploadedFile("done.jpg", files.jpeg(), content_type="image/jpeg")
        answer = desk.post(
            f"/desk/field-reports/{report.pk}/",
            {"text": "Đã vá ổ gà.", "close": "1", "media": photo},
        )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    assert report.closed_at == vn(2026, 3, 13, 10, 0)
    (row,) = Open311(Client()).request(str(report.pk))
    assert row["status"] == "closed"
    assert row["status_notes"] == "Đã vá ổ gà."
    assert row["updated_datetime"].startswith("2026-03-13T10:00:00+07:00")
    public = Client().get(f"/phan-anh/{report.pk}/")
    assert "Đã vá ổ gà.".encode() in public.content
    assert b"0912345678" not in public.content
    assert b"bao@example" not in public.content
    image = report.photos.get(reply__isnull=False)
    assert Client().get(f"/georeport/v2/media/{image.pk}").status_code == 200


def test_ward_b_and_the_ioc_viewer_cannot_answer(world: World) -> None:
    report = _report(world)
    other = _signed_in(world.desk_b)
    assert f"#{report.pk}".encode() not in other.get("/desk/field-reports/").content
    assert other.get(f"/desk/field-reports/{report.pk}/").status_code == 404
    assert other.post(f"/desk/field-reports/{report.pk}/", {"text": "x"}).status_code == 404
    ioc = _signed_in(world.ioc)
    assert ioc.get(f"/desk/field-reports/{report.pk}/").status_code == 200
    assert ioc.post(f"/desk/field-reports/{report.pk}/", {"text": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.status_notes == ""


def test_a_citizen_sends_a_report_and_finds_it_in_their_list(world: World) -> None:
    person = citizens.citizen(phone="0987654321")
    other = citizens.citizen(phone="0977777777")
    client = _signed_in(person)
    form = client.get("/phan-anh/gui/")
    assert "Phường An Bình".encode() in form.content
    sent = client.post(
        "/phan-anh/gui/",
        {"service_code": "lighting", "unit": "30001", "description": "Đèn tắt", "address": "Hẻm 5"},
    )
    assert sent.status_code == 302
    report = FieldReport.objects.get()
    assert report.reporter == person
    assert report.phone == "0987654321"
    assert "Hẻm 5".encode() in client.get("/phan-anh/").content
    assert "Hẻm 5".encode() not in _signed_in(other).get("/phan-anh/").content
    assert Client().get("/phan-anh/").status_code == 302  # sign in first


def test_due_soon_warns_once_and_overdue_escalates_once(world: World) -> None:
    StaffRole.objects.create(user=world.ioc, role=Role.LEADER, unit=world.province)
    # Friday 09:00, roads: 24 working hours: 6 on Friday, 8 on Monday and Tuesday, 2 on
    # Wednesday.
    report = _report(world)
    assert report.expected_at == vn(2026, 3, 18, 9, 0)
    # Monday 17:00 is 10 working hours before; Tuesday 09:00 is 8 (WARN_DUE_WITHIN_HOURS).
    assert warnings.scan(vn(2026, 3, 16, 17, 0)).warned == 0
    first = warnings.scan(vn(2026, 3, 17, 9, 0))
    assert (first.warned, first.escalated) == (1, 0)
    assert warnings.scan(vn(2026, 3, 17, 9, 5)).warned == 0
    warned = set(
        OutboxMessage.objects.filter(kind="field_report_due_soon").values_list("user", flat=True)
    )
    assert warned == {world.leader_a.pk}
    assert warnings.scan(vn(2026, 3, 18, 8, 59)).escalated == 0
    late = warnings.scan(vn(2026, 3, 18, 9, 0))
    assert (late.warned, late.escalated) == (0, 1)
    assert warnings.scan(vn(2026, 3, 18, 10, 0)).escalated == 0
    escalated = OutboxMessage.objects.filter(kind="field_report_overdue", channel="app")
    assert {m.user_id for m in escalated} == {world.ioc.pk}  # the leaders of the unit above
    assert f"số {report.pk}" in escalated[0].payload["reason"]


def test_open_and_late_for_the_wall(world: World) -> None:
    first = _report(world)
    _report(world)
    submit(Submission(service_code="roads", jurisdiction_id="30002"), at=vn(2026, 3, 13, 9, 0))
    FieldReport.objects.filter(pk=first.pk).update(
        status=ReportStatus.CLOSED, closed_at=vn(2026, 3, 18, 10, 0)
    )
    assert open_and_late([world.ward_a.path], vn(2026, 3, 18, 9, 0)) == {"open": 1, "overdue": 1}
    assert open_and_late([world.ward_a.path], vn(2026, 3, 18, 8, 59)) == {"open": 1, "overdue": 0}
    assert open_and_late([world.province.path], vn(2026, 3, 16, 9, 0)) == {"open": 2, "overdue": 0}
    march = (vn(2026, 3, 1), vn(2026, 4, 1))
    assert closed_in([world.province.path], *march) == {"closed": 1, "closed_late": 1}
    assert closed_in([world.ward_b.path], *march) == {"closed": 0, "closed_late": 0}
