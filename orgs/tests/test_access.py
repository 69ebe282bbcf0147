"""Scopes: operational roles act where they are posted; watching roles see the subtree."""

from accounts.models import User
from conftest import World
from orgs.access import has_role, unit_ids_for
from orgs.models import Role, StaffRole, Unit


def test_desk_officer_of_ward_a_serves_only_ward_a(world: World) -> None:
    assert unit_ids_for(world.desk_a) == {world.ward_a.pk}
    assert has_role(world.desk_a, Role.DESK_OFFICER, world.ward_a)
    assert not has_role(world.desk_a, Role.DESK_OFFICER, world.ward_b)
    assert not has_role(world.desk_b, Role.DESK_OFFICER, world.ward_a)


def test_ioc_viewer_sees_the_whole_province(world: World) -> None:
    ids = unit_ids_for(world.ioc)
    assert {world.province.pk, world.ward_a.pk, world.ward_b.pk} <= ids
    assert has_role(world.ioc, Role.IOC_VIEWER, world.ward_b)


def test_citizen_serves_nowhere(world: World) -> None:
    assert unit_ids_for(world.citizen) == set()


def test_moving_a_unit_moves_its_subtree(world: World) -> None:
    child = Unit.objects.create(code="99", name="Khu phố 1", kind="ward", parent=world.ward_a)
    world.ward_a.parent = None
    world.ward_a.save()
    child.refresh_from_db()
    assert child.path == f"/{world.ward_a.pk}/{child.pk}/"
    assert list(Unit.objects.subtree_of(world.ward_a).values_list("code", flat=True)) == [
        "30001",
        "99",
    ]


def test_watching_roles_reach_former_units_through_successor_links(world: World) -> None:
    # Thành phố Hồng Ngự (869) was merged into ward B; it sits under the former province.
    former = Unit.objects.get(code="869")
    assert former.successor_id == world.ward_b.pk
    assert former.pk in unit_ids_for(world.ioc)
    assert has_role(world.ioc, Role.IOC_VIEWER, former)
    # A unit administrator of ward B reaches what was merged into it, not ward A.
    StaffRole.objects.create(user=world.leader_a, role=Role.UNIT_ADMIN, unit=world.ward_b)
    reached = unit_ids_for(world.leader_a, [Role.UNIT_ADMIN])
    assert reached == {world.ward_b.pk, former.pk}
    # Those who act on dossiers act where they are posted, not in the predecessors.
    assert former.pk not in unit_ids_for(world.desk_b)
    assert not has_role(world.desk_b, Role.DESK_OFFICER, former)


def test_a_superuser_has_the_system_administrators_reach(world: World) -> None:
    root = User.objects.create_superuser("root", "root@example.org", "pw-root")
    assert unit_ids_for(root) == set(Unit.objects.values_list("id", flat=True))
    assert has_role(root, Role.SYSADMIN, Unit.objects.get(code="869"))
    root.is_active = False
    root.save(update_fields=["is_active"])
    assert unit_ids_for(User.objects.get(pk=root.pk)) == set()
