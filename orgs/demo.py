"""Load the demo province: units, agencies and staff for every role in every current unit.

The unit data (orgs/demo/units.json) is real-shaped: Hồng Ngự's wards and communes as they
stand after the 2025 reorganisation, and the pre-2025 units kept for history.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from lib.text import fold
from orgs.models import ONE_STOP_DESK, Agency, AgencyKind, Role, StaffRole, Unit

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_PASSWORD = "motcua@2026"  # noqa: S105 - printed on purpose: demo logins only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    where: str


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_units(path: Path = DEMO_DIR / "units.json") -> dict[str, Unit]:
    """Create or update agency kinds, units and agencies from the demo file."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for kind in data["agency_kinds"]:
        AgencyKind.objects.update_or_create(code=kind["code"], defaults={"name": kind["name"]})
    # Codes are reused across eras (a new ward keeps an old ward's code), so references
    # resolve within the referring unit's era: a historical unit's parent is historical,
    # a successor is current.
    current: dict[str, Unit] = {}
    historical: dict[str, Unit] = {}
    pending = list(data["units"])
    while pending:
        placed = False
        for item in list(pending):
            is_current = item.get("valid_until") is None
            era, other = (current, historical) if is_current else (historical, current)
            parent_code = item.get("parent")
            parent = era.get(parent_code) or other.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                continue
            lookup = {"code": item["code"], "valid_until__isnull": is_current}
            unit = Unit.objects.filter(**lookup).first() or Unit(code=item["code"])
            unit.name = item["name"]
            unit.kind = item["kind"]
            unit.parent = parent
            unit.valid_from = _date(item.get("valid_from"))
            unit.valid_until = _date(item.get("valid_until"))
            unit.note = item.get("note", "")
            unit.is_demo = True
            unit.save()
            era[unit.code] = unit
            pending.remove(item)
            placed = True
        if not placed:
            missing = ", ".join(sorted({str(i.get("parent")) for i in pending}))
            raise ValueError(f"units.json: unknown parent unit(s) {missing}")
    for item in data["units"]:
        if item.get("successor") and item.get("valid_until"):
            historical[item["code"]].successor = current[item["successor"]]
            historical[item["code"]].save(update_fields=["successor"])
    kinds = {k.code: k for k in AgencyKind.objects.all()}
    for item in data["agencies"]:
        Agency.objects.update_or_create(
            code=item["code"],
            defaults={
                "unit": current[item["unit"]],
                "kind": kinds[item["kind"]],
                "name": item["name"],
            },
        )
    return current


def _slug(unit: Unit) -> str:
    words = fold(unit.name).replace("-", " ").split()
    kind_words = {"phuong", "xa", "tinh", "thanh", "pho", "dac", "khu", "thi"}
    core = [w for w in words if w not in kind_words] or words
    return "".join(core)


# (username suffix, role, agency kind or None for unit-wide, display name prefix)
_PER_UNIT = [
    ("motcua", Role.DESK_OFFICER, ONE_STOP_DESK, "Cán bộ một cửa"),
    ("motcua2", Role.DESK_OFFICER, ONE_STOP_DESK, "Cán bộ một cửa"),
    ("lanhdao", Role.LEADER, "leadership", "Lãnh đạo UBND"),
    # The clerk of a People's Committee numbers and seals for every office of the unit.
    ("vanthu", Role.CLERK, None, "Văn thư"),
    ("quantri", Role.UNIT_ADMIN, None, "Quản trị"),
]


@cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; one hash serves every demo account.
    return make_password(DEMO_PASSWORD)


def _person(username: str, full_name: str, logins: list[DemoLogin], role: Role, where: str) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "is_staff": False, "password": _demo_password_hash()},
    )
    logins.append(DemoLogin(username, full_name, str(role.label), where))
    return user


def _grant(user: User, role: Role, unit: Unit, agency: Agency | None) -> None:
    StaffRole.objects.get_or_create(user=user, role=role, unit=unit, agency=agency)


@transaction.atomic
def create_staff(today: date) -> list[DemoLogin]:
    """Give every current unit a person for every role; return the logins created."""
    logins: list[DemoLogin] = []
    current = Unit.objects.current_at(today).filter(is_demo=True).order_by("path")
    for unit in current:
        slug = _slug(unit)
        agencies = {
            a.kind.code: a for a in unit.agencies.filter(is_active=True).select_related("kind")
        }
        for suffix, role, kind, label in _PER_UNIT:
            agency = agencies.get(kind) if kind else None
            if kind and agency is None:
                continue
            user = _person(f"{slug}.{suffix}", f"{label} {unit.name}", logins, role, unit.name)
            _grant(user, role, unit, agency)
        for code, agency in sorted(agencies.items()):
            if code in (ONE_STOP_DESK, "leadership"):
                continue
            user = _person(
                f"{slug}.cv.{code}",
                f"Chuyên viên {agency.name}",
                logins,
                Role.SPECIALIST,
                agency.name,
            )
            _grant(user, Role.SPECIALIST, unit, agency)
            # The head of each specialist office checks and initials (DOMAIN.md §2 step 4).
            user = _person(
                f"{slug}.ld.{code}", f"Trưởng {agency.name}", logins, Role.LEADER, agency.name
            )
            _grant(user, Role.LEADER, unit, agency)
        if unit.parent_id is None:
            for suffix, role, label in [
                ("ioc", Role.IOC_VIEWER, "Trung tâm điều hành IOC"),
                ("thanhtra", Role.INSPECTOR, "Thanh tra tỉnh"),
            ]:
                user = _person(f"{slug}.{suffix}", label, logins, role, unit.name)
                _grant(user, role, unit, None)
            admin = _person("admin", "Quản trị hệ thống", logins, Role.SYSADMIN, unit.name)
            if not admin.is_superuser:
                admin.is_superuser = admin.is_staff = True
                admin.save(update_fields=["is_superuser", "is_staff"])
            _grant(admin, Role.SYSADMIN, unit, None)
    # Unit administrators manage their unit in the admin site.
    User.objects.filter(staff_roles__role=Role.UNIT_ADMIN).update(is_staff=True)
    return logins
