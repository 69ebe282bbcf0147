"""Fee waiver categories: the unit administrator keeps them (add, retire, history), the desk
grants one to a dossier with a reason (an event in the chain), and what is owed follows."""

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from catalog.models import Procedure
from conftest import World
from dossiers.actions import InvalidInput, InvalidTransition, NotAllowed, verify_chain
from dossiers.models import Dossier
from orgs.models import Role, StaffRole
from payments import actions as pay
from payments import waivers
from payments.fees import summary
from payments.models import WaiverCategory
from testing.browser import assert_mobile_and_accessible
from testing.dossiers import intake
from testing.vnpay import add_fees

pytestmark = pytest.mark.django_db

PAGE = "/desk/payments/waivers/"


def _admin(world: World, name: str = "admin_a", unit: Any = None) -> User:
    user = User.objects.create_user(username=name, password="pw-" + name, full_name="Hồ Văn Quản")
    StaffRole.objects.create(user=user, role=Role.UNIT_ADMIN, unit=unit or world.ward_a)
    return user


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _category(world: World, by: User, **kw: Any) -> WaiverCategory:
    values: dict[str, Any] = {"name": "Hộ nghèo", "basis": "Nghị quyết 12/2025/NQ-HĐND"}
    return waivers.add_category(world.ward_a, by=by, at=timezone.now(), **(values | kw))


def test_the_unit_administrator_adds_and_retires_categories(world: World) -> None:
    admin = _admin(world)
    c = _client(admin)
    page = c.get(PAGE).content.decode()
    assert "Danh mục đối tượng miễn phí, lệ phí" in page and "1.001193" in page
    r = c.post(
        PAGE,
        {"name": "Người có công với cách mạng", "waives": "charge", "basis": "Luật 2015"},
    )
    assert r.status_code == 302
    category = WaiverCategory.objects.get(unit=world.ward_a)
    assert (category.code, category.waives, category.created_by) == (
        "nguoi_co_cong_voi_cach_mang",
        "charge",
        admin,
    )
    # The same code twice, or no name: said beside the field, nothing added.
    again = c.post(PAGE, {"name": "Người có công với cách mạng", "waives": "all"})
    assert again.status_code == 422 and "đã được dùng" in again.content.decode()
    assert c.post(PAGE, {"name": " ", "waives": "all"}).status_code == 422
    assert WaiverCategory.objects.count() == 1
    # A desk officer, or another ward's administrator, keeps none of ward A's categories.
    assert _client(world.desk_a).get(PAGE).status_code == 404
    other = _client(_admin(world, "admin_b", world.ward_b))
    assert other.post(f"{PAGE}{category.pk}/retire/").status_code == 404
    with pytest.raises(NotAllowed):
        waivers.add_category(world.ward_a, name="X", by=world.desk_a, at=timezone.now())
    assert c.post(f"{PAGE}{category.pk}/retire/").status_code == 302
    category.refresh_from_db()
    assert category.retired_by == admin and category.retired_at is not None
    assert "Ngừng áp dụng bởi Hồ Văn Quản" in c.get(PAGE).content.decode()


def test_the_desk_grants_a_waiver_with_a_reason(world: World) -> None:
    add_fees()
    admin = _admin(world)
    category = _category(world, admin)
    d = intake(world, timezone.now())
    desk = _client(world.desk_a)
    page = desk.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'id="waiver-category"' in page and "Hộ nghèo" in page
    url = f"/desk/dossiers/{d.code}/waivers/"
    desk.post(url, {"category": category.pk, "reason": ""})
    assert summary(d).owed_vnd == 70_000
    r = desk.post(url, {"category": category.pk, "reason": "Sổ hộ nghèo số 123"}, follow=True)
    assert "Đã miễn phí, lệ phí: Hộ nghèo." in r.content.decode()
    s = summary(d)
    assert s.owed_vnd == 0 and all(line.waived for line in s.lines)
    d = Dossier.objects.get(pk=d.pk)
    event = d.events.order_by("-seq").first()
    assert event is not None and event.verb == "waive" and event.actor == world.desk_a
    assert event.payload["reason"] == "Sổ hộ nghèo số 123"
    assert verify_chain(d)
    with pytest.raises(InvalidInput, match="đã được miễn"):
        waivers.grant(d, category, reason="again", by=world.desk_a, at=timezone.now())
    # Ward B's desk cannot reach the dossier at all.
    assert (
        _client(world.desk_b).post(url, {"category": category.pk, "reason": "x"}).status_code == 404
    )


def test_what_a_category_waives_and_where_it_applies(world: World) -> None:
    add_fees()  # fee 50.000, charge 20.000
    admin = _admin(world)
    charges = _category(world, admin, name="Trẻ em", waives="charge")
    here = Procedure.objects.get(code="1.001193")
    elsewhere = Procedure.objects.create(code="9.999999", name="Thủ tục khác", field=here.field)
    with pytest.raises(InvalidInput, match="tiếp nhận tại bộ phận một cửa"):
        _category(world, admin, name="Khác", procedures=[elsewhere])
    narrow = _category(world, admin, name="Khác", procedures=[here])
    narrow.procedures.set([elsewhere])  # as if the procedure moved elsewhere since
    retired = _category(world, admin, name="Cũ")
    waivers.retire_category(retired, by=admin, at=timezone.now())
    d = intake(world, timezone.now())
    assert list(waivers.categories_for(d)) == [charges]
    for refused in (narrow, retired):
        with pytest.raises(InvalidInput, match="không áp dụng"):
            waivers.grant(d, refused, reason="x", by=world.desk_a, at=timezone.now())
    waivers.grant(d, charges, reason="Giấy khai sinh", by=world.desk_a, at=timezone.now())
    s = summary(d)
    assert s.owed_vnd == 50_000 and [line.waived for line in s.lines] == [False, True]


def test_no_waiver_after_a_payment(world: World) -> None:
    add_fees()
    category = _category(world, _admin(world))
    d = intake(world, timezone.now())
    pay.record_at_desk(
        d, method="cash", amount_vnd=70_000, receipt_number="9", by=world.desk_a, at=timezone.now()
    )
    with pytest.raises(InvalidTransition, match="trước khi thanh toán"):
        waivers.grant(d, category, reason="x", by=world.desk_a, at=timezone.now())
    page = _client(world.desk_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'id="waiver-category"' not in page
    with pytest.raises(NotAllowed):
        waivers.grant(d, category, reason="x", by=world.specialist_a, at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_the_category_page_on_a_phone(world: World, open_page: Any, live_server: Any) -> None:
    _admin(world)
    page = open_page("admin_a", width=390, height=844)
    page.goto(f"{live_server.url}{PAGE}")
    page.fill("#id_name", "Hộ nghèo")
    page.select_option("#id_waives", "charge")
    page.click("#add-category button.primary")
    page.wait_for_selector("#retire-ho_ngheo")
    assert_mobile_and_accessible(page)
