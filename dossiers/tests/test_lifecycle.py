"""The lifecycle through the actions: intake to return, with clock, steps and events."""

from datetime import datetime
from typing import Any

import pytest

from catalog.models import ProcedureVersion
from conftest import World
from dossiers import actions
from dossiers.access import allowed_verbs
from dossiers.actions import Applicant, ReceivedDocument
from dossiers.models import Dossier, DossierEvent, OutboxMessage, Punctuality, Status
from dossiers.workflow import Verb
from testing.clock import vn


def file_at_desk(w: World, at: datetime, channel: str = "1") -> Dossier:
    return actions.file_dossier(
        actor=w.desk_a,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        channel=channel,
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=at,
    )


def test_desk_intake_to_return(world: World) -> None:
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))  # Monday
    assert d.status == Status.IN_PROGRESS
    assert d.code.startswith("30001.one_stop_desk-260302-0001")
    assert d.due_at == vn(2026, 3, 5, 17, 0)  # 3 working days, Civil Code
    assert d.current_step is not None
    assert d.current_step.position == 1 and d.current_step.due_at == vn(2026, 3, 2, 15, 0)
    assert allowed_verbs(world.desk_a, d) == [
        Verb.REQUEST_SUPPLEMENT,
        Verb.FORWARD,
        Verb.STOP,
        Verb.APOLOGIZE,
        Verb.TRANSFER,
    ]
    assert allowed_verbs(world.desk_b, d) == []

    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    assert d.current_step is not None
    assert d.current_step.role == "specialist"
    d = actions.forward(
        d, actor=world.specialist_a, at=vn(2026, 3, 3, 15, 0), comment="Đủ điều kiện."
    )
    assert allowed_verbs(world.leader_a, d) == [
        Verb.SEND_BACK,
        Verb.APPROVE,
        Verb.REFUSE_RESULT,
        Verb.APOLOGIZE,
        Verb.TRANSFER,  # the competent unit's leader may pass it on before deciding
    ]
    d = actions.approve(d, actor=world.leader_a, at=vn(2026, 3, 4, 8, 0))
    assert d.status == Status.RESULT_READY
    assert d.punctuality == Punctuality.EARLY and d.finished_at == vn(2026, 3, 4, 8, 0)
    d = actions.return_result(
        d,
        actor=world.desk_a,
        at=vn(2026, 3, 4, 9, 0),
        return_method="desk",
        collector_name="Nguyễn Văn A",
    )
    assert d.status == Status.RETURNED

    verbs = list(d.events.values_list("verb", flat=True))
    assert verbs == ["receive", "forward", "forward", "approve", "return_result"]
    assert actions.verify_chain(d)
    steps = list(d.steps.values_list("position", "punctuality"))
    assert steps == [(1, "on_time"), (2, "early"), (3, "on_time"), (4, "on_time")]
    assert OutboxMessage.objects.filter(dossier=d, channel="sms").count() == 3


def test_step_overrun_is_visible_while_the_dossier_is_on_time(world: World) -> None:
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))
    # The desk has 4 working hours; it forwards the next morning.
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 3, 8, 0))
    first = d.steps.get(position=1)
    assert first.punctuality == Punctuality.LATE
    assert d.due_at is not None and d.due_at > vn(2026, 3, 3, 8, 0)


def test_other_ward_cannot_act(world: World) -> None:
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))
    with pytest.raises(actions.NotAllowed):
        actions.forward(d, actor=world.desk_b, at=vn(2026, 3, 2, 10, 0))
    with pytest.raises(actions.NotAllowed):
        actions.forward(d, actor=world.specialist_a, at=vn(2026, 3, 2, 10, 0))
    assert DossierEvent.objects.filter(dossier=d).count() == 1


def test_supplement_pauses_and_resumes_the_clock_once_only(world: World, settings: Any) -> None:
    settings.SUPPLEMENT_PAUSE_MODE = "resume"  # the national statistics' practice, a setting
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    # Paused Tuesday 9:00 with 2 working days + 8h left (due Thu 17:00).
    d = actions.request_supplement(
        d,
        actor=world.specialist_a,
        at=vn(2026, 3, 3, 9, 0),
        reason="Thiếu giấy chứng sinh",
        missing_documents=["Giấy chứng sinh"],
    )
    assert d.status == Status.SUPPLEMENT_REQUESTED
    told = OutboxMessage.objects.get(dossier=d, kind="request_supplement")
    assert told.payload["missing_documents"] == ["Giấy chứng sinh"]
    assert told.payload["reason"] == "Thiếu giấy chứng sinh"
    # Supplemented the next Monday at 9:00: the remaining 22 working hours continue.
    d = actions.supplement(d, actor=world.desk_a, at=vn(2026, 3, 9, 9, 0))
    assert d.status == Status.IN_PROGRESS
    assert d.due_at == vn(2026, 3, 11, 17, 0)
    with pytest.raises(actions.InvalidTransition, match="một lần"):
        actions.request_supplement(
            d,
            actor=world.specialist_a,
            at=vn(2026, 3, 9, 10, 0),
            reason="Lần hai",
            missing_documents=["X"],
        )


def test_supplement_during_appraisal_restarts_the_limit_from_zero_by_default(
    world: World,
) -> None:
    # Decree 118 art. 19.5: "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ".
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))  # due Thursday 5/3 17:00
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    d = actions.request_supplement(
        d,
        actor=world.specialist_a,
        at=vn(2026, 3, 3, 9, 0),
        reason="Thiếu giấy chứng sinh",
        missing_documents=["Giấy chứng sinh"],
    )
    d = actions.supplement(d, actor=world.desk_a, at=vn(2026, 3, 9, 9, 0))
    # 3 working days again from Monday 9/3 (not the 22 hours left at the request).
    assert d.due_at == vn(2026, 3, 12, 17, 0)
    assert d.received_at == vn(2026, 3, 2, 9, 0)  # still received when it was received
    event = d.events.get(verb="supplement")
    assert event.payload["clock"] == "restart"
    # The appraisal step gets its whole 14 working hours again: Monday 9:00 + 14 h.
    assert d.current_step is not None
    assert d.current_step.due_at == vn(2026, 3, 10, 17, 0)
    # The applicant is told the new appointment, in the transaction of the supplement.
    # (notify's wording fills {due} from the dossier: "Hẹn trả kết quả: 12/03/2026 17:00".)
    assert OutboxMessage.objects.filter(dossier=d, kind="supplement").exists()


def test_apology_sets_new_appointment_once_and_counts_late(world: World) -> None:
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    d = actions.apologize(
        d,
        actor=world.leader_a,
        at=vn(2026, 3, 3, 9, 0),
        reason="Cần xác minh thêm",
        new_due=vn(2026, 3, 10, 17, 0),
    )
    assert d.reappointed and d.original_due_at == vn(2026, 3, 5, 17, 0)
    with pytest.raises(actions.InvalidTransition, match="một lần"):
        actions.apologize(
            d,
            actor=world.leader_a,
            at=vn(2026, 3, 4, 9, 0),
            reason="x",
            new_due=vn(2026, 3, 20, 17),
        )
    d = actions.forward(
        d, actor=world.specialist_a, at=vn(2026, 3, 4, 9, 0), comment="Đủ điều kiện."
    )
    d = actions.approve(d, actor=world.leader_a, at=vn(2026, 3, 4, 10, 0))
    assert d.punctuality == Punctuality.LATE


def test_online_filing_waits_then_is_accepted(world: World) -> None:
    d = _online(world)  # filed on Saturday night
    assert d.status == Status.SUBMITTED and d.due_at is None
    assert d.applicant_user == world.citizen
    d = actions.accept(d, actor=world.desk_a, at=vn(2026, 3, 9, 8, 0))
    assert d.due_at == vn(2026, 3, 12, 17, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": "3", "documents": []}, "Thiếu thành phần hồ sơ bắt buộc"),
        ({"applicant": Applicant("person", "A", "12345", phone="09")}, "12 chữ số"),
        ({"applicant": Applicant("person", "A", "999095000123", phone="09")}, "001"),
        ({"applicant": Applicant("person", "", "087095000123", phone="09")}, "họ tên"),
        ({"documents": [ReceivedDocument(1), ReceivedDocument(9)]}, "số 9"),
    ],
)
def test_bad_intake_writes_nothing(world: World, change: dict, message: str) -> None:
    kwargs = {
        "actor": world.desk_a,
        "version": ProcedureVersion.objects.get(procedure__code="1.001193"),
        "receiving_unit": world.ward_a,
        "channel": "1",
        "applicant": Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        "documents": [ReceivedDocument(1)],
        "at": vn(2026, 3, 2, 9, 0),
        **change,
    }
    with pytest.raises(actions.ActionError, match=message):
        actions.file_dossier(**kwargs)
    assert Dossier.objects.count() == 0


def test_channel_not_allowed(world: World) -> None:
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    version.allows_post = False
    version.save()
    with pytest.raises(actions.InvalidInput, match="Bưu chính"):
        file_at_desk(world, vn(2026, 3, 2, 9, 0), channel="3")


def test_stale_version_is_a_conflict(world: World) -> None:
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))
    seen = d.version
    actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0), expected_version=seen)
    with pytest.raises(actions.Conflict):
        actions.stop(
            d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 1), reason="Rút", expected_version=seen
        )


def test_tampered_event_breaks_the_chain(world: World) -> None:
    d = file_at_desk(world, vn(2026, 3, 2, 9, 0))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10, 0))
    DossierEvent.objects.filter(dossier=d, seq=1).update(reason="sửa lén")
    assert not actions.verify_chain(d)


def _online(w: World) -> Dossier:
    return actions.file_dossier(
        actor=w.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", email="a@example.vn"),
        documents=[ReceivedDocument(1)],
        at=vn(2026, 3, 7, 22, 0),
    )


def test_an_online_filing_can_be_asked_to_complete_before_receipt(world: World) -> None:
    d = actions.request_supplement(
        _online(world),
        actor=world.desk_a,
        at=vn(2026, 3, 9, 8, 0),
        reason="Ảnh chụp giấy chứng sinh bị mờ",
        missing_documents=["Giấy chứng sinh (ảnh rõ nét)"],
    )
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.received_at is None
    assert d.paused_at is None  # no clock was running
    d = actions.supplement(d, actor=world.citizen, at=vn(2026, 3, 9, 20, 0))
    assert d.status == Status.SUBMITTED and d.received_at is None
    d = actions.accept(d, actor=world.desk_a, at=vn(2026, 3, 10, 8, 0))
    assert d.status == Status.IN_PROGRESS and d.due_at == vn(2026, 3, 13, 17, 0)


def test_an_online_filing_can_be_stopped_before_receipt(world: World) -> None:
    d = actions.stop(
        _online(world), actor=world.desk_a, at=vn(2026, 3, 9, 8, 0), reason="Người nộp rút"
    )
    assert d.status == Status.STOPPED and d.received_at is None
