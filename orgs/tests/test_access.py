"""Scopes: operational roles act where they are posted; watching roles see the subtree."""

from conftest import World
from orgs.access import has_role, unit_ids_for
from orgs.models import Role, Unit


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
