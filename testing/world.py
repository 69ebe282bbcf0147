"""The shared test world: a province, ward A and ward B, their people, one procedure.

Every permission test uses the same people (STYLE.md habit 8): a desk officer, a specialist
and a leader of ward A, a desk officer of ward B who must see nothing of A, an IOC viewer of
the province, and a citizen. Their passwords are "pw-" + username.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from accounts.models import User
from catalog.actions import import_records
from catalog.io import DocumentRecord, ProcedureRecord, StepRecord
from orgs.models import Agency, AgencyKind, Role, StaffRole, Unit

KINDS = {
    "one_stop_desk": "Bộ phận Một cửa",
    "office": "Văn phòng HĐND và UBND",
    "economic": "Phòng Kinh tế",
    "leadership": "Lãnh đạo UBND",
    "justice": "Sở Tư pháp",
}


def make_record(code: str = "1.001193", **overrides: Any) -> ProcedureRecord:
    """Return a valid catalog record (birth registration, 3 working days by default)."""
    values: dict[str, Any] = {
        "code": code,
        "name": "Đăng ký khai sinh",
        "field_code": "HT",
        "field_name": "Hộ tịch",
        "level": "commune",
        "competent_agency_kind": "office",
        "limit_amount": 3,
        "limit_unit": "days",
        "fee_vnd": 0,
        "charge_vnd": 0,
        "fee_note": "Miễn lệ phí",
        "result": "Giấy khai sinh",
        "channels": ["desk", "post", "online_full"],
        "legal_basis": "Luật Hộ tịch 2014",
        "documents": [DocumentRecord("Tờ khai đăng ký khai sinh", "original", 1, True, "")],
        "steps": [
            StepRecord("Tiếp nhận hồ sơ", "one_stop_desk", "desk_officer", Decimal(4)),
            StepRecord("Thẩm định", "office", "specialist", Decimal(14)),
            StepRecord("Ký duyệt", "leadership", "leader", Decimal(4)),
            StepRecord("Trả kết quả", "one_stop_desk", "desk_officer", Decimal(2)),
        ],
    }
    values.update(overrides)
    return ProcedureRecord(**values)


class World:
    """Handles on the objects of the shared test world."""

    province: Unit
    ward_a: Unit
    ward_b: Unit
    desk_a: User
    specialist_a: User
    leader_a: User
    desk_b: User
    ioc: User
    citizen: User


def _person(username: str, full_name: str) -> User:
    return User.objects.create_user(
        username=username, password="pw-" + username, full_name=full_name
    )


def build_world() -> World:
    """Create the province, wards A and B, their agencies, the personas and one procedure."""
    w = World()
    kinds = {code: AgencyKind.objects.create(code=code, name=name) for code, name in KINDS.items()}
    w.province = Unit.objects.create(code="82", name="Tỉnh Đồng Tháp", kind="province")
    old_province = Unit.objects.create(
        code="87", name="Tỉnh Đồng Tháp (cũ)", kind="province", valid_until=date(2025, 6, 30)
    )
    w.ward_a = Unit.objects.create(
        code="30001", name="Phường An Bình", kind="ward", parent=w.province
    )
    w.ward_b = Unit.objects.create(
        code="30002", name="Phường Hồng Ngự", kind="ward", parent=w.province
    )
    Unit.objects.create(
        code="869",
        name="Thành phố Hồng Ngự",
        kind="district_city",
        parent=old_province,
        valid_from=date(2020, 1, 1),
        valid_until=date(2025, 6, 30),
        successor=w.ward_b,
    )
    agencies: dict[tuple[str, str], Agency] = {}
    for unit in (w.ward_a, w.ward_b):
        for code in ("one_stop_desk", "office", "leadership"):
            agencies[(unit.code, code)] = Agency.objects.create(
                unit=unit, kind=kinds[code], code=f"{unit.code}.{code}", name=KINDS[code]
            )
    w.desk_a = _person("desk_a", "Nguyễn Thị Mai")
    w.specialist_a = _person("specialist_a", "Trần Văn Hùng")
    w.leader_a = _person("leader_a", "Lê Văn Đức")
    w.desk_b = _person("desk_b", "Phạm Thị Lan")
    w.ioc = _person("ioc", "Võ Minh Tâm")
    w.citizen = _person("citizen", "Nguyễn Văn A")
    w.citizen.is_citizen = True
    w.citizen.save(update_fields=["is_citizen"])
    grants = [
        (w.desk_a, Role.DESK_OFFICER, w.ward_a, agencies[("30001", "one_stop_desk")]),
        (w.specialist_a, Role.SPECIALIST, w.ward_a, agencies[("30001", "office")]),
        (w.leader_a, Role.LEADER, w.ward_a, agencies[("30001", "leadership")]),
        (w.desk_b, Role.DESK_OFFICER, w.ward_b, agencies[("30002", "one_stop_desk")]),
        (w.ioc, Role.IOC_VIEWER, w.province, None),
    ]
    for user, role, unit, agency in grants:
        StaffRole.objects.create(user=user, role=role, unit=unit, agency=agency)
    import_records([make_record()])
    return w
