"""Vouching at the desk, and which desk dossiers an account sees through its ID number."""

from typing import Any

import pytest
from django.test import Client

from citizens.actions import VouchError, vouch_id_number
from citizens.models import IdentityRecord
from conftest import World
from dossiers.models import Dossier, OutboxMessage
from testing.citizens import citizen
from testing.clock import vn
from testing.dossiers import intake

ID_NUMBER = "087095000123"  # the applicant of testing.dossiers.intake


def visible_codes(user: Any) -> set[str]:
    return set(Dossier.objects.visible_to(user).values_list("code", flat=True))


def test_only_a_vouched_number_shows_desk_dossiers(world: World) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    owner = citizen(phone="0912000400", id_number=ID_NUMBER)
    assert visible_codes(owner) == set()  # typed, not vouched
    vouch_id_number(
        officer=world.desk_a,
        citizen=owner,
        id_number=ID_NUMBER,
        unit=world.ward_a,
        at=vn(2026, 3, 3, 9),
    )
    owner.refresh_from_db()
    assert visible_codes(owner) == {d.code}
    other = citizen(phone="0912000401", id_number="087095000999")
    assert visible_codes(other) == set()
    # Staff scoping is unchanged: ward B's officer sees nothing of ward A.
    assert d.code not in visible_codes(world.desk_b)
    world.desk_b.id_number = ID_NUMBER  # a staff account's ID number opens nothing
    assert d.code not in visible_codes(world.desk_b)


def test_the_desk_page_vouches_with_a_record_and_a_message(world: World) -> None:
    intake(world, vn(2026, 3, 2, 9))
    owner = citizen(phone="0912000402")
    client = Client()
    client.force_login(world.desk_a)
    page = client.get("/desk/citizens/vouch/", {"contact": "+84912000402"})
    assert page.status_code == 200 and owner.full_name in page.content.decode()
    r = client.post("/desk/citizens/vouch/", {"contact": "0912000402", "id_number": ID_NUMBER})
    assert r.status_code == 400  # the card was not confirmed as seen
    r = client.post(
        "/desk/citizens/vouch/", {"contact": "0912000402", "id_number": ID_NUMBER, "seen": "1"}
    )
    assert r.status_code == 302
    owner.refresh_from_db()
    assert owner.id_vouched and owner.id_number_vouched_by == world.desk_a
    record = IdentityRecord.objects.get(user=owner)
    assert record.vouched_by == world.desk_a and record.unit == world.ward_a
    assert OutboxMessage.objects.get(user=owner).kind == "id_vouched"
    assert len(visible_codes(owner)) == 1


def test_a_bad_or_taken_number_is_refused(world: World) -> None:
    first = citizen(phone="0912000403")
    second = citizen(phone="0912000404")
    with pytest.raises(VouchError):
        vouch_id_number(
            officer=world.desk_a,
            citizen=first,
            id_number="12345",
            unit=world.ward_a,
            at=vn(2026, 3, 3, 9),
        )
    vouch_id_number(
        officer=world.desk_a,
        citizen=first,
        id_number=ID_NUMBER,
        unit=world.ward_a,
        at=vn(2026, 3, 3, 9),
    )
    with pytest.raises(VouchError):
        vouch_id_number(
            officer=world.desk_a,
            citizen=second,
            id_number=ID_NUMBER,
            unit=world.ward_a,
            at=vn(2026, 3, 3, 9),
        )
    second.refresh_from_db()
    assert not second.id_vouched


@pytest.mark.parametrize("who", ["specialist_a", "ioc", "leader_a"])
def test_only_desk_officers_vouch(world: World, who: str) -> None:
    owner = citizen(phone="0912000405")
    client = Client()
    client.force_login(getattr(world, who))
    assert client.get("/desk/citizens/vouch/").status_code == 403
    with pytest.raises(VouchError):
        vouch_id_number(
            officer=getattr(world, who),
            citizen=owner,
            id_number=ID_NUMBER,
            unit=world.ward_a,
            at=vn(2026, 3, 3, 9),
        )
    # A desk officer of ward B vouches in ward B's name, not A's.
    with pytest.raises(VouchError):
        vouch_id_number(
            officer=world.desk_b,
            citizen=owner,
            id_number=ID_NUMBER,
            unit=world.ward_a,
            at=vn(2026, 3, 3, 9),
        )
