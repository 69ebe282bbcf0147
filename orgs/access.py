"""Who may act or look where: the one place that turns a user's roles into unit scopes."""

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from accounts.models import User
from lib.ttl import TtlCache
from orgs.models import SUBTREE_ROLES, TWO_FACTOR_ROLES, Agency, AgencyKind, Role, StaffRole, Unit

# user id -> the user's roles. Every request (the API's intake above all, benchmark P1) asks
# for them; a role granted or revoked in this process is seen at once (signals below), one
# changed elsewhere within a few seconds (docs/adr/0010-per-process-lookup-caches.md).
_roles: TtlCache[list[StaffRole]] = TtlCache("staff-roles")

for _model in (StaffRole, Unit, Agency, AgencyKind):
    for _signal in (post_save, post_delete):
        _signal.connect(_roles.clear, sender=_model, dispatch_uid=f"roles-{_model.__name__}")


def _load_roles(user_id: int) -> list[StaffRole]:
    return list(StaffRole.objects.filter(user_id=user_id).select_related("unit", "agency__kind"))


def staff_roles(user: User) -> list[StaffRole]:
    """Return the user's roles with unit and agency loaded (cached per process; shared rows)."""
    cached: list[StaffRole] | None = getattr(user, "_motcua_roles", None)
    if cached is None:
        if user.pk is None:
            return []
        cached = _roles.get(user.pk, lambda: _load_roles(user.pk)) or []
        user._motcua_roles = cached  # type: ignore[attr-defined]
    return cached


def unit_ids_for(user: User, roles: Iterable[str] | None = None) -> set[int]:
    """Return the ids of units where the user holds any of `roles` (all roles when None).

    Watching and administering roles reach the whole subtree below their unit.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    wanted = set(roles) if roles is not None else None
    direct: set[int] = set()
    subtree_paths: list[str] = []
    for sr in staff_roles(user):
        if wanted is not None and sr.role not in wanted:
            continue
        if sr.role in SUBTREE_ROLES:
            subtree_paths.append(sr.unit.path)
        else:
            direct.add(sr.unit_id)
    if subtree_paths:
        condition = Q()
        for path in subtree_paths:
            condition |= Q(path__startswith=path)
        direct.update(Unit.objects.filter(condition).values_list("id", flat=True))
    return direct


def has_role(user: User, role: Role | str, unit: Unit, agency: Agency | None = None) -> bool:
    """Tell whether the user holds `role` in `unit` (and, if given, in `agency` or unit-wide)."""
    if not user.is_authenticated or not user.is_active:
        return False
    for sr in staff_roles(user):
        if sr.role != role:
            continue
        if sr.role in SUBTREE_ROLES:
            if unit.path.startswith(sr.unit.path):
                return True
            continue
        if sr.unit_id != unit.pk:
            continue
        if agency is None or sr.agency_id is None or sr.agency_id == agency.pk:
            return True
    return False


def requires_two_factor(user: User) -> bool:
    """Tell whether the user must pass a second factor (TOTP) after the password.

    They must when they hold a leader's or an administrator's role in a unit that requires
    it; the setting applies where the role is held, not to the units below it.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return any(
        sr.role in TWO_FACTOR_ROLES and sr.unit.require_two_factor for sr in staff_roles(user)
    )


def holders(role: Role | str, agency: Agency) -> list[User]:
    """Return the active people who hold `role` in `agency` or unit-wide in its unit, by name
    (a leader assigning a step picks among them; `has_role` accepts exactly these)."""
    return list(
        # One filter() call: the three conditions must hold of the same role row.
        User.objects.filter(
            Q(staff_roles__agency=agency) | Q(staff_roles__agency__isnull=True),
            is_active=True,
            staff_roles__role=role,
            staff_roles__unit_id=agency.unit_id,
        )
        .distinct()
        .order_by("full_name", "username")
    )
