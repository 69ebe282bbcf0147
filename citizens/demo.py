"""Demo citizen accounts: one whose ID number a desk officer vouched for, one not yet."""

from dataclasses import dataclass
from datetime import datetime

from accounts.models import User
from citizens.actions import new_username, vouch_id_number
from orgs.models import Role, StaffRole

# (phone, name, ID number, vouched at the desk)
DEMO_CITIZENS = [
    ("0901000001", "Nguyễn Thị Thu", "087190000111", True),
    ("0901000002", "Trương Văn Hải", "087092000222", False),
]


@dataclass(frozen=True)
class CitizenLogin:
    phone: str
    full_name: str
    vouched: bool


def create_citizens(password: str, at: datetime) -> list[CitizenLogin]:
    """Create (or reset) the demo citizens; the first is vouched by a demo desk officer."""
    desk = (
        StaffRole.objects.filter(role=Role.DESK_OFFICER, agency__isnull=False)
        .select_related("user", "unit")
        .order_by("pk")
        .first()
    )
    logins = []
    for phone, name, id_number, vouched in DEMO_CITIZENS:
        user = User.objects.filter(is_citizen=True, phone=phone).first() or User(
            username=new_username(), is_citizen=True, phone=phone
        )
        user.full_name = name
        user.phone_confirmed_at = user.phone_confirmed_at or at
        user.id_number = id_number
        user.set_password(password)
        user.save()
        if vouched and desk is not None and not user.id_vouched:
            vouch_id_number(
                officer=desk.user, citizen=user, id_number=id_number, unit=desk.unit, at=at
            )
        logins.append(CitizenLogin(phone, name, vouched and desk is not None))
    return logins
