"""Full ID numbers, phones and addresses are shown only with a reason, and every view is logged
for inspectors (issue 14: "viewing a citizen's full ID number or phone leaves no trace")."""

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from audit.models import PersonalDataView
from dossiers.models import Dossier
from orgs.models import Role, StaffRole, Unit
from testing.api import bearer, login
from testing.clock import vn
from testing.dossiers import intake
from testing.world import World

FULL_ID = "087095000123"
FULL_PHONE = "0912345678"
ADDRESS = "Số 5, đường Nguyễn Huệ"


@pytest.fixture
def dossier(world: World) -> Dossier:
    d = intake(world, vn(2026, 3, 2, 9))
    Dossier.objects.filter(pk=d.pk).update(applicant_address=ADDRESS)
    d.refresh_from_db()
    return d


def inspector(world: World, username: str, unit: Unit) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    StaffRole.objects.create(user=user, role=Role.INSPECTOR, unit=unit)
    return user


def test_the_desk_page_masks_the_personal_fields(world: World, dossier: Dossier) -> None:
    page = login(Client(), "desk_a").get(f"/desk/dossiers/{dossier.code}/").content.decode()
    assert "********0123" in page
    assert FULL_ID not in page and FULL_PHONE not in page and ADDRESS not in page
    assert PersonalDataView.objects.count() == 0


def test_revealing_at_the_desk_needs_a_reason_and_is_logged(world: World, dossier: Dossier) -> None:
    client = login(Client(), "desk_a")
    url = f"/desk/dossiers/{dossier.code}/reveal/"
    refused = client.post(url, {"field": "id_number", "reason": "  "}, HTTP_HX_REQUEST="true")
    assert FULL_ID not in refused.content.decode()
    assert PersonalDataView.objects.count() == 0
    shown = client.post(
        url, {"field": "phone", "reason": "Gọi báo kết quả"}, HTTP_HX_REQUEST="true"
    )
    assert FULL_PHONE in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    view = PersonalDataView.objects.get()
    assert (view.user, view.dossier_id, view.field, view.reason) == (
        world.desk_a,
        dossier.pk,
        "phone",
        "Gọi báo kết quả",
    )
    assert view.client_address == "127.0.0.1" and view.channel == "desk"
    # Without htmx the same form shows a page with the value.
    page = client.post(url, {"field": "address", "reason": "Gửi bưu điện"})
    assert ADDRESS in page.content.decode()
    assert PersonalDataView.objects.count() == 2


def test_an_officer_of_another_ward_can_neither_see_nor_reveal(
    world: World, dossier: Dossier
) -> None:
    client = login(Client(), "desk_b")
    r = client.post(f"/desk/dossiers/{dossier.code}/reveal/", {"field": "id_number", "reason": "x"})
    assert r.status_code == 404
    assert PersonalDataView.objects.count() == 0


def test_the_api_masks_unless_asked_with_a_reason_and_logs(
    world: World, dossier: Dossier, client: Client
) -> None:
    desk = bearer(client, "desk_a")
    url = f"/api/v1/dossiers/{dossier.code}"
    body = client.get(url, **desk).json()
    assert body["applicant_id_number"] == "********0123"
    assert FULL_PHONE not in str(body) and ADDRESS not in str(body)
    assert body["revealed"] == []
    refused = client.get(url, {"reveal": "id_number"}, **desk)
    assert refused.status_code == 422
    unknown = client.get(url, {"reveal": "public_secret", "reason": "x"}, **desk)
    assert unknown.status_code == 422
    assert PersonalDataView.objects.count() == 0
    shown = client.get(url, {"reveal": "id_number,phone", "reason": "Đối chiếu CCCD"}, **desk)
    assert shown.status_code == 200
    body = shown.json()
    assert (body["applicant_id_number"], body["applicant_phone"]) == (FULL_ID, FULL_PHONE)
    assert body["applicant_address"] != ADDRESS
    assert body["revealed"] == ["id_number", "phone"]
    rows = PersonalDataView.objects.order_by("field")
    assert [(r.field, r.channel, r.reason) for r in rows] == [
        ("id_number", "api", "Đối chiếu CCCD"),
        ("phone", "api", "Đối chiếu CCCD"),
    ]


def test_inspectors_read_the_log_of_their_units_only(world: World, dossier: Dossier) -> None:
    login(Client(), "desk_a").post(
        f"/desk/dossiers/{dossier.code}/reveal/", {"field": "id_number", "reason": "Đối chiếu"}
    )
    inspector(world, "inspector_province", world.province)
    inspector(world, "inspector_b", world.ward_b)
    page = login(Client(), "inspector_province").get("/ioc/access-log/").content.decode()
    assert dossier.code in page and "Đối chiếu" in page and "desk_a" in page
    other = login(Client(), "inspector_b").get("/ioc/access-log/").content.decode()
    assert dossier.code not in other
    # Filtered by person, unit and period.
    client = login(Client(), "inspector_province")
    assert dossier.code not in client.get("/ioc/access-log/", {"person": "leader"}).content.decode()
    assert (
        dossier.code
        not in client.get("/ioc/access-log/", {"unit": world.ward_b.code}).content.decode()
    )
    day = timezone.localdate().isoformat()
    assert (
        dossier.code
        in client.get(
            "/ioc/access-log/", {"unit": world.ward_a.code, "start": day, "end": day}
        ).content.decode()
    )
    assert (
        dossier.code not in client.get("/ioc/access-log/", {"end": "2020-01-01"}).content.decode()
    )


@pytest.mark.parametrize("username", ["desk_a", "leader_a", "ioc"])
def test_the_log_is_not_for_other_roles(world: World, username: str) -> None:
    assert login(Client(), username).get("/ioc/access-log/").status_code == 403
