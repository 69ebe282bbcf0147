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
# unit id -> the path prefixes a watching role held there reaches (see `reach_paths`).
_reach: TtlCache[tuple[str, ...]] = TtlCache("unit-reach")
# The units at the top of the tree: where a superuser's reach starts.
_roots: TtlCache[list[Unit]] = TtlCache("root-units")

for _model in (StaffRole, Unit, Agency, AgencyKind):
    for _signal in (post_save, post_delete):
        _signal.connect(_roles.clear, sender=_model, dispatch_uid=f"roles-{_model.__name__}")
for _signal in (post_save, post_delete):
    _signal.connect(_reach.clear, sender=Unit, dispatch_uid="reach-Unit")
    _signal.connect(_roots.clear, sender=Unit, dispatch_uid="roots-Unit")


def _load_roles(user_id: int) -> list[StaffRole]:
    return list(StaffRole.objects.filter(user_id=user_id).select_related("unit", "agency__kind"))


def _superuser_roles() -> list[StaffRole]:
    """A system administrator's role, unsaved, at every unit at the top of the tree (those in
    force, and former ones that have no successor to reach them through).

    A Django superuser (createsuperuser) has the system administrator's reach without a
    StaffRole row; these stand-ins give it through the same rules as a real role.
    """
    roots = _roots.get(
        "roots",
        lambda: list(
            # A former root with a successor is reached through it (`reach_paths`).
            Unit.objects.filter(parent__isnull=True).filter(
                Q(valid_until__isnull=True) | Q(successor__isnull=True)
            )
        ),
    )
    return [StaffRole(role=Role.SYSADMIN, unit=unit) for unit in roots or []]


def staff_roles(user: User) -> list[StaffRole]:
    """Return the user's roles with unit and agency loaded (cached per process; shared rows).

    An active superuser also holds the system administrator's role at the top of the tree.
    """
    cached: list[StaffRole] | None = getattr(user, "_motcua_roles", None)
    if cached is None:
        if user.pk is None:
            return []
        cached = _roles.get(user.pk, lambda: _load_roles(user.pk)) or []
        if getattr(user, "is_superuser", False) and user.is_active:
            cached = [*cached, *_superuser_roles()]
        user._motcua_roles = cached  # type: ignore[attr-defined]
    return cached


def reach_paths(unit: Unit) -> tuple[str, ...]:
    """Return the path prefixes a watching role held at `unit` reaches (cached per process).

    Its own subtree, and the former units merged into it or into any unit below it, with
    theirs, following successor links back as far as they go: the province of 2025 reaches
    the province it succeeded and every commune of it, so history keeps its readers (ADR 23).
    """

    def load() -> tuple[str, ...]:
        covered = [unit.path]
        frontier = [unit.path]
        while frontier:
            condition = Q()
            for path in frontier:
                condition |= Q(successor__path__startswith=path)
            found = sorted(set(Unit.objects.filter(condition).values_list("path", flat=True)))
            frontier = []
            for path in found:  # a prefix sorts first: a predecessor's subtree covers its children
                if not any(path.startswith(c) for c in covered):
                    covered.append(path)
                    frontier.append(path)
        return tuple(covered)

    return _reach.get(unit.pk, load) or (unit.path,)


def reaches(holder_unit: Unit, unit: Unit) -> bool:
    """Tell whether a watching role held at `holder_unit` reaches `unit` (`reach_paths`)."""
    if unit.path.startswith(holder_unit.path):
        return True
    return any(unit.path.startswith(p) for p in reach_paths(holder_unit))


def unit_ids_for(user: User, roles: Iterable[str] | None = None) -> set[int]:
    """Return the ids of units where the user holds any of `roles` (all roles when None).

    Watching and administering roles reach the whole subtree below their unit, and the
    former units merged into it (`reach_paths`).
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
            subtree_paths.extend(reach_paths(sr.unit))
        else:
            direct.add(sr.unit_id)
    if subtree_paths:
        condition = Q()
        for path in subtree_paths:
            condition |= Q(path__startswith=path)
        direct.update(Unit.objects.filter(condition).values_list("id", flat=True))
    return direct


# Roles that hold workflow steps (catalog.WorkflowStep.role).
STEP_HOLDING_ROLES = frozenset({Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK})


def root_step_unit_ids(user: User) -> set[int]:
    """Return the province-level (root) units where the user may hold workflow steps: a
    commune procedure's step may be placed at a province agency (inter-unit processing)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return {
        sr.unit_id
        for sr in staff_roles(user)
        if sr.role in STEP_HOLDING_ROLES and sr.unit.parent_id is None
    }


def has_role(user: User, role: Role | str, unit: Unit, agency: Agency | None = None) -> bool:
    """Tell whether the user holds `role` in `unit` (and, if given, in `agency` or unit-wide)."""
    if not user.is_authenticated or not user.is_active:
        return False
    for sr in staff_roles(user):
        if sr.role != role:
            continue
        if sr.role in SUBTREE_ROLES:
            if reaches(sr.unit, unit):
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
