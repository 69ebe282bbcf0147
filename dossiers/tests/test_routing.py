"""Inter-unit routing (Decree 118/2025 arts. 3.6-3.7, 14.2, 20): the desk chooses the competent
unit, a received dossier is transferred with a reason, and a step is handled by a province
agency whose staff see and act on it."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from catalog.actions import import_records, published_records
from catalog.io import StepRecord
from catalog.io.reading import read_catalog
from catalog.io.writing import write_catalog
from catalog.models import ProcedureVersion
from catalog.public import competent_units
from dossiers import actions, figures
from dossiers.access import allowed_verbs, get_dossier_for_user
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier, OutboxMessage, Status
from dossiers.queues import Queue, Scope, queue
from dossiers.workflow import Verb
from orgs.models import Agency, AgencyKind, Role, StaffRole, Unit
from stats.report import (
    Column,
    GroupBy,
    Period,
    cell,
    identities_hold,
    report,
    report_from_rows,
)
from testing.api import INTAKE_FORM, login
from testing.clock import vn
from testing.world import World, make_record


def _version(code: str = "1.001193") -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code=code, status="published")


def _file(
    w: World, at: datetime, *, competent: Unit | None = None, code: str = "1.001193"
) -> Dossier:
    return actions.file_dossier(
        actor=w.desk_a,
        version=_version(code),
        receiving_unit=w.ward_a,
        competent_unit=competent,
        channel="1",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=at,
    )


def _person(username: str, role: str, unit: Unit, agency: Agency | None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    StaffRole.objects.create(user=user, role=role, unit=unit, agency=agency)
    return user


def _agency(unit: Unit, kind: str) -> Agency:
    return Agency.objects.get(unit=unit, kind__code=kind)


# --- the desk chooses the competent unit -----------------------------------------------------


def test_competent_units_are_those_of_the_province_with_the_agencies_the_workflow_needs(
    world: World,
) -> None:
    version = _version()
    assert competent_units(version, world.ward_a) == [world.ward_a, world.ward_b]
    assert competent_units(version, world.ward_b) == [world.ward_b, world.ward_a]
    office_b = _agency(world.ward_b, "office")
    office_b.is_active = False
    office_b.save()
    assert competent_units(version, world.ward_a) == [world.ward_a]


def test_the_desk_routes_a_dossier_to_another_competent_unit_on_the_intake_form(
    world: World, client: Client
) -> None:
    login(client, "desk_a")
    page = client.get("/desk/intake/?procedure=1.001193").content.decode()
    assert 'name="competent_unit"' in page and "Phường Hồng Ngự" in page
    r = client.post("/desk/intake/", {**INTAKE_FORM, "competent_unit": str(world.ward_b.pk)})
    assert r.status_code == 302, r.content.decode()[:2000]
    d = Dossier.objects.get(code=r["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert d.receiving_unit == world.ward_a and d.competent_unit == world.ward_b
    assert d.current_step is not None
    assert d.current_step.agency == _agency(world.ward_a, "one_stop_desk")  # the desk stays
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    assert d.current_step is not None
    assert d.current_step.agency == _agency(world.ward_b, "office")


def test_the_default_stays_the_receiving_unit_and_a_unit_that_cannot_decide_is_refused(
    world: World,
) -> None:
    assert _file(world, vn(2026, 3, 2, 9, 0)).competent_unit == world.ward_a
    with pytest.raises(actions.InvalidInput, match="Tỉnh Đồng Tháp") as exc:
        _file(world, vn(2026, 3, 2, 9, 0), competent=world.province)
    assert exc.value.extra["field"] == "competent_unit"


# --- transfer ---------------------------------------------------------------------------------


def _appraising(w: World) -> Dossier:
    d = _file(w, vn(2026, 3, 2, 9, 0))  # due Thursday 5/3 17:00
    return actions.forward(d, actor=w.desk_a, at=vn(2026, 3, 2, 10, 0))


def test_a_received_dossier_is_transferred_with_a_reason_in_one_chained_event(
    world: World,
) -> None:
    d = _appraising(world)
    assert Verb.TRANSFER in allowed_verbs(world.desk_a, d)
    assert Verb.TRANSFER not in allowed_verbs(world.desk_b, d)
    with pytest.raises(actions.InvalidInput):
        actions.transfer(
            d, actor=world.desk_a, at=vn(2026, 3, 2, 11, 0), competent_unit=world.ward_b
        )
    with pytest.raises(actions.NotAllowed):
        actions.transfer(
            d, actor=world.desk_b, at=vn(2026, 3, 2, 11, 0), reason="x", competent_unit=world.ward_b
        )
    with pytest.raises(actions.InvalidInput, match="đã ở"):
        actions.transfer(
            d, actor=world.desk_a, at=vn(2026, 3, 2, 11, 0), reason="x", competent_unit=world.ward_a
        )

    reason = "Thửa đất thuộc địa bàn Phường Hồng Ngự."
    d = actions.transfer(
        d, actor=world.desk_a, at=vn(2026, 3, 2, 11, 0), reason=reason, competent_unit=world.ward_b
    )
    assert d.status == Status.IN_PROGRESS
    assert d.receiving_unit == world.ward_a and d.competent_unit == world.ward_b
    assert d.due_at == vn(2026, 3, 5, 17, 0)  # the clock continues by default
    # The appraisal restarts at the new unit's office; the old step is closed.
    assert d.current_step is not None
    assert (d.current_step.position, d.current_step.agency) == (2, _agency(world.ward_b, "office"))
    old = d.steps.get(position=2, agency=_agency(world.ward_a, "office"))
    assert old.finished_at == vn(2026, 3, 2, 11, 0)
    event = d.events.get(verb="transfer")
    assert event.reason == reason
    assert (event.payload["from_unit"], event.payload["to_unit"]) == ("30001", "30002")
    assert actions.verify_chain(d)
    # The new unit's desk and the applicant are told, in the same transaction.
    assert OutboxMessage.objects.filter(
        dossier=d, kind="transferred_in", user=world.desk_b
    ).exists()
    assert OutboxMessage.objects.filter(dossier=d, kind="transfer", channel="sms").exists()
    # Ward A's specialist no longer holds it; ward B's office does.
    assert get_dossier_for_user(world.desk_b, d.code) is not None
    with pytest.raises(actions.NotAllowed):
        actions.forward(
            d, actor=world.specialist_a, at=vn(2026, 3, 2, 14, 0), comment="Đủ điều kiện"
        )
    specialist_b = _person(
        "specialist_b", Role.SPECIALIST, world.ward_b, _agency(world.ward_b, "office")
    )
    assert d in queue(Scope.of(specialist_b), Queue.IN_PROGRESS, vn(2026, 3, 2, 14, 0))
    d = actions.forward(d, actor=specialist_b, at=vn(2026, 3, 2, 14, 0), comment="Đủ điều kiện")
    # The report's counters moved with the dossier: a recount agrees.
    assert figures.verify_counters() == []
    assert figures.stored([world.ward_a.pk]) == {}


def test_the_clock_restarts_at_the_transfer_when_configured(world: World, settings: Any) -> None:
    settings.TRANSFER_CLOCK = "restart"
    d = _appraising(world)
    d = actions.transfer(
        d, actor=world.leader_a, at=vn(2026, 3, 3, 9, 0), reason="x", competent_unit=world.ward_b
    )
    assert d.due_at == vn(2026, 3, 6, 17, 0)  # 3 working days from Tuesday
    assert d.events.get(verb="transfer").payload["clock"] == "restart"


def test_a_decided_dossier_cannot_be_transferred(world: World) -> None:
    d = _appraising(world)
    d = actions.forward(
        d, actor=world.specialist_a, at=vn(2026, 3, 2, 14, 0), comment="Đủ điều kiện"
    )
    d = actions.approve(d, actor=world.leader_a, at=vn(2026, 3, 3, 8, 0))
    assert Verb.TRANSFER not in allowed_verbs(world.desk_a, d)
    with pytest.raises(actions.InvalidTransition):
        actions.transfer(
            d, actor=world.desk_a, at=vn(2026, 3, 3, 9, 0), reason="x", competent_unit=world.ward_b
        )


def test_the_desk_transfers_through_the_action_page(world: World, client: Client) -> None:
    d = _appraising(world)
    login(client, "desk_a")
    page = client.get(f"/desk/dossiers/{d.code}/act/transfer/").content.decode()
    assert "Phường Hồng Ngự" in page and f'value="{world.ward_a.pk}"' not in page
    r = client.post(
        f"/desk/dossiers/{d.code}/act/transfer/",
        {
            "version": d.version,
            "reason": "Không thuộc thẩm quyền",
            "competent_unit": world.ward_b.pk,
        },
    )
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.competent_unit == world.ward_b


# --- a step at a province agency ----------------------------------------------------------


def _with_province_step(w: World) -> tuple[User, str]:
    """A commune procedure whose appraisal is done by the province's justice department."""
    justice = Agency.objects.create(
        unit=w.province,
        kind=AgencyKind.objects.get(code="justice"),
        code="82.justice",
        name="Sở Tư pháp",
    )
    specialist = _person("justice_cv", Role.SPECIALIST, w.province, justice)
    record = make_record(
        "1.000001",
        name="Cấp lại bản chính giấy khai sinh",
        steps=[
            StepRecord("Tiếp nhận hồ sơ", "one_stop_desk", "desk_officer", Decimal(4)),
            StepRecord("Thẩm định (Sở Tư pháp)", "justice", "specialist", Decimal(14), "province"),
            StepRecord("Ký duyệt", "leadership", "leader", Decimal(4)),
            StepRecord("Trả kết quả", "one_stop_desk", "desk_officer", Decimal(2)),
        ],
    )
    import_records([record])
    return specialist, "1.000001"


def test_a_step_placed_at_the_province_is_in_its_agencys_inbox_and_its_staff_act_on_it(
    world: World, client: Client
) -> None:
    specialist, code = _with_province_step(world)
    d = _file(world, vn(2026, 3, 2, 9, 0), code=code)
    assert d.competent_unit == world.ward_a
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    assert d.current_step is not None and d.current_step.agency.unit == world.province
    at = vn(2026, 3, 2, 11, 0)
    assert d in queue(Scope.of(specialist), Queue.IN_PROGRESS, at)
    assert d not in queue(Scope.of(world.specialist_a), Queue.IN_PROGRESS, at)
    login(client, "justice_cv")
    assert d.code in client.get("/desk/queue/in_progress/").content.decode()
    assert client.get(f"/desk/dossiers/{d.code}/").status_code == 200
    assert allowed_verbs(specialist, d) == [Verb.REQUEST_SUPPLEMENT, Verb.FORWARD, Verb.SEND_BACK]
    d = actions.forward(d, actor=specialist, at=vn(2026, 3, 3, 9, 0), comment="Đủ điều kiện")
    assert d.current_step is not None and d.current_step.agency.unit == world.ward_a
    # Still visible to the department that handled a step; never to another ward's desk.
    assert get_dossier_for_user(specialist, d.code) is not None
    assert get_dossier_for_user(world.desk_b, d.code) is None
    d = actions.approve(d, actor=world.leader_a, at=vn(2026, 3, 3, 10, 0))
    assert d.status == Status.RESULT_READY


def test_the_catalog_file_keeps_a_step_placed_at_the_province(world: World) -> None:
    _with_province_step(world)
    records = [r for r in published_records() if r.code == "1.000001"]
    for fmt in ("json", "csv", "xlsx"):
        back = read_catalog(
            write_catalog(records, fmt),
            f"catalog.{fmt}",
            known_agency_kinds={"one_stop_desk", "justice", "leadership", "office"},
        )
        assert not back.errors, back.errors
        assert [s.unit for s in back.records[0].steps] == [
            "competent",
            "province",
            "competent",
            "competent",
        ], fmt


# --- where the figures count a routed dossier -----------------------------------------------


def _counted(unit: Unit) -> dict[str, int]:
    rep = report(unit, Period(date(2026, 3, 1), date(2026, 3, 31)), GroupBy.UNIT)
    assert identities_hold(rep.rows)
    reference = report_from_rows(unit, rep.period, GroupBy.UNIT)
    assert [r.as_dict() for r in rep.rows] == [r.as_dict() for r in reference.rows]
    return {r.key: r.counts[Column.RECEIVED_TOTAL] for r in rep.rows}


def test_the_report_counts_a_routed_dossier_at_its_competent_unit_by_default(
    world: World, settings: Any
) -> None:
    d = _file(world, vn(2026, 3, 2, 9, 0), competent=world.ward_b)
    assert _counted(world.ward_b) == {"30002": 1}
    assert _counted(world.ward_a) == {}
    assert _counted(world.province) == {"30002": 1}  # once, nothing counted twice
    # The receiving unit's desk still lists it in its tracking book (form 07's rule).
    settings.FIGURES_UNIT = "receiving"
    figures.rebuild()
    assert figures.verify_counters() == []
    assert _counted(world.ward_a) == {"30001": 1}
    assert _counted(world.ward_b) == {}
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert list(cell(world.ward_a, period, GroupBy.UNIT, "30001", Column.RECEIVED_DESK_POST)) == [d]
    # An action keeps the counters where the setting counts them.
    actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    assert figures.verify_counters() == []


def test_transfer_is_not_offered_when_no_other_unit_can_decide(world: World) -> None:
    # Ward B loses its office: ward A is the only unit that can decide this procedure, so
    # neither the desk nor the processing staff are offered a transfer with nowhere to go.
    d = _appraising(world)
    office_b = _agency(world.ward_b, "office")
    office_b.is_active = False
    office_b.save()
    assert Verb.TRANSFER not in allowed_verbs(world.desk_a, d)
    assert Verb.TRANSFER not in allowed_verbs(world.specialist_a, d)
    with pytest.raises(actions.InvalidTransition, match="không thể chuyển"):
        actions.transfer(
            d, actor=world.desk_a, at=vn(2026, 3, 2, 11, 0), reason="x", competent_unit=world.ward_b
        )
