"""The transition engine against its table: every verb lands where TRANSITIONS says, or fails."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from catalog.models import ProcedureVersion
from conftest import World
from dossiers import actions
from dossiers.actions import APPLIERS, Applicant, ReceivedDocument, WorkflowError
from dossiers.models import Dossier, DossierEvent, DossierStep, Status
from dossiers.routing import system_account
from dossiers.workflow import KEEP, TRANSITIONS, Verb
from orgs.models import Role, StaffRole

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=VN)


def _file(w: World, channel: str) -> Dossier:
    return actions.file_dossier(
        actor=w.desk_a if channel != "2" else w.citizen,
        version=ProcedureVersion.objects.get(procedure__code="1.001193"),
        receiving_unit=w.ward_a,
        channel=channel,
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912345678"),
        documents=[ReceivedDocument(1)],
        at=MONDAY,
    )


def _at_desk(w: World) -> Dossier:
    return _file(w, "1")


def _online(w: World) -> Dossier:
    return _file(w, "2")


def _with_specialist(w: World) -> Dossier:
    return actions.forward(_at_desk(w), actor=w.desk_a, at=at(2, 10))


def _with_leader(w: World) -> Dossier:
    return actions.forward(
        _with_specialist(w), actor=w.specialist_a, at=at(3, 9), comment="Đủ điều kiện."
    )


def _ready(w: World) -> Dossier:
    return actions.approve(_with_leader(w), actor=w.leader_a, at=at(3, 14))


def _awaiting_supplement(w: World) -> Dossier:
    return actions.request_supplement(
        _at_desk(w),
        actor=w.desk_a,
        at=at(2, 10),
        reason="Thiếu giấy tờ",
        missing_documents=["Tờ khai"],
    )


def _admin(w: World) -> User:
    user = User.objects.create_user(username="admin_a", password="pw", full_name="Quản trị")
    StaffRole.objects.create(user=user, role=Role.UNIT_ADMIN, unit=w.ward_a)
    return user


REASON = {"reason": "Lý do ghi rõ"}
# verb: (how to bring a dossier into a source status, who acts, the verb's parameters, or a
# function of the world returning them)
Params = dict[str, Any] | Callable[[World], dict[str, Any]]
Scenario = tuple[Callable[[World], Dossier], Callable[[World], User], Params]
SCENARIOS: dict[Verb, Scenario] = {
    Verb.ACCEPT: (_online, lambda w: w.desk_a, {}),
    Verb.REQUEST_SUPPLEMENT: (
        _at_desk,
        lambda w: w.desk_a,
        {**REASON, "missing_documents": [" Tờ khai ", ""]},
    ),
    Verb.SUPPLEMENT: (_awaiting_supplement, lambda w: w.desk_a, {}),
    Verb.REFUSE: (_online, lambda w: w.desk_a, REASON),
    Verb.FORWARD: (_at_desk, lambda w: w.desk_a, {}),
    Verb.SEND_BACK: (_with_specialist, lambda w: w.specialist_a, REASON),
    Verb.APPROVE: (_with_leader, lambda w: w.leader_a, {}),
    Verb.REFUSE_RESULT: (_with_leader, lambda w: w.leader_a, REASON),
    Verb.RETURN_RESULT: (_ready, lambda w: w.desk_a, {"return_method": "post"}),
    Verb.STOP: (_at_desk, lambda w: w.desk_a, REASON),
    Verb.APOLOGIZE: (_at_desk, lambda w: w.desk_a, {**REASON, "new_due": at(20, 16)}),
    Verb.CANCEL: (_ready, _admin, REASON),
    Verb.TRANSFER: (
        _with_specialist,
        lambda w: w.desk_a,
        lambda w: {**REASON, "competent_unit": w.ward_b},
    ),
    Verb.CLOSE_UNANSWERED: (_awaiting_supplement, lambda w: system_account(), REASON),
}


def test_every_verb_of_the_table_has_one_applier_and_a_scenario() -> None:
    assert set(APPLIERS) == set(TRANSITIONS) == set(SCENARIOS)


@pytest.mark.parametrize("verb", list(TRANSITIONS), ids=str)
def test_each_verb_lands_in_its_target(world: World, verb: Verb) -> None:
    setup, who, given = SCENARIOS[verb]
    params = given(world) if callable(given) else given
    d = setup(world)
    before = d.status
    assert before in TRANSITIONS[verb].sources
    done = actions.perform(verb, d, actor=who(world), at=at(4, 9), **params)
    stored = Dossier.objects.get(pk=d.pk)
    assert stored.status == done.status
    target = TRANSITIONS[verb].target
    if target is KEEP:
        assert stored.status == before
    else:
        assert stored.status in target
    last = stored.events.order_by("-seq").first()
    assert last is not None and (last.verb, last.to_status) == (verb, stored.status)
    assert actions.verify_chain(stored)


def test_an_applier_that_lands_outside_the_target_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = _at_desk(world)
    real = APPLIERS[Verb.FORWARD]

    def wrong(d: Dossier, ctx: actions.Context) -> tuple[str, dict[str, Any]]:
        real(d, ctx)  # writes the next step row, which must roll back too
        return Status.RETURNED, {}

    monkeypatch.setitem(APPLIERS, Verb.FORWARD, wrong)
    steps = DossierStep.objects.filter(dossier=d).count()
    with pytest.raises(WorkflowError, match="outside its target"):
        actions.forward(d, actor=world.desk_a, at=at(2, 10))
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.status, stored.version, stored.event_count) == (
        Status.IN_PROGRESS,
        d.version,
        1,
    )
    assert DossierEvent.objects.filter(dossier=d).count() == 1
    assert DossierStep.objects.filter(dossier=d).count() == steps


def test_an_apology_that_changes_the_status_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = _at_desk(world)
    real = APPLIERS[Verb.APOLOGIZE]

    def wrong(d: Dossier, ctx: actions.Context) -> tuple[str, dict[str, Any]]:
        _, payload = real(d, ctx)
        return Status.SUPPLEMENT_REQUESTED, payload

    monkeypatch.setitem(APPLIERS, Verb.APOLOGIZE, wrong)
    with pytest.raises(WorkflowError):
        actions.apologize(d, actor=world.desk_a, at=at(2, 10), new_due=at(20, 16), reason="Trễ")
    assert not Dossier.objects.get(pk=d.pk).reappointed


@pytest.mark.parametrize(
    ("verb", "params", "field"),
    [
        (Verb.APOLOGIZE, {**REASON, "new_due": None}, "new_due"),
        (Verb.APOLOGIZE, {**REASON, "new_due": datetime(2026, 3, 20, 16, 0)}, "new_due"),  # noqa: DTZ001
        (Verb.REQUEST_SUPPLEMENT, {**REASON, "missing_documents": [" ", ""]}, "missing_documents"),
        (Verb.REQUEST_SUPPLEMENT, REASON, "missing_documents"),
    ],
)
def test_verb_parameters_are_checked_before_anything_is_written(
    world: World, verb: Verb, params: dict[str, Any], field: str
) -> None:
    d = _at_desk(world)
    with pytest.raises(actions.InvalidInput) as caught:
        actions.perform(verb, d, actor=world.desk_a, at=at(2, 10), **params)
    assert caught.value.extra["field"] == field
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_an_unknown_parameter_is_a_programming_error(world: World) -> None:
    d = _at_desk(world)
    with pytest.raises(TypeError):
        actions.forward(d, actor=world.desk_a, at=at(2, 10), new_deu=at(20, 16))


def test_a_reason_is_only_recorded_for_verbs_that_take_one(world: World) -> None:
    d = actions.forward(_at_desk(world), actor=world.desk_a, at=at(2, 10), reason="ignored")
    last = d.events.order_by("-seq").first()
    assert last is not None and last.reason == ""
