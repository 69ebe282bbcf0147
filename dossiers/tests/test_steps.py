"""The middle steps with content: each step's kind, the assignment to a named person and the
inboxes it narrows, the appraisal's opinion, the result's number in the chain, who collected
the result; the API's answer to a wrong assignee."""

from datetime import date
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client

from conftest import World
from dossiers import actions
from dossiers.access import allowed_verbs
from dossiers.actions import InvalidInput, NotAllowed
from dossiers.models import Dossier, DossierEvent, DossierStep, OutboxMessage, StepKind
from dossiers.queues import Queue, Scope, queue
from dossiers.steps import step_kinds
from dossiers.warnings import scan
from dossiers.workflow import Verb
from testing.api import bearer
from testing.clock import vn
from testing.steps import Office, add_full_workflow, file_marital

K = StepKind
DESK, LEADER, SPECIALIST, CLERK = "desk_officer", "leader", "specialist", "clerk"


@pytest.mark.parametrize(
    ("roles", "kinds"),
    [
        # The demo's seven steps (1.004873): the office leader assigns, then checks.
        (
            [DESK, LEADER, SPECIALIST, LEADER, LEADER, CLERK, DESK],
            [K.RECEIVE, K.ASSIGN, K.APPRAISE, K.CHECK, K.DECIDE, K.ISSUE, K.RETURN],
        ),
        # No assignment: the specialist takes it from the desk; the chairman signs.
        ([DESK, SPECIALIST, LEADER, DESK], [K.RECEIVE, K.APPRAISE, K.DECIDE, K.RETURN]),
        # Two appraisal steps; the decision is the last leader step, wherever the clerk is.
        (
            [DESK, LEADER, SPECIALIST, SPECIALIST, LEADER, CLERK, DESK],
            [K.RECEIVE, K.ASSIGN, K.APPRAISE, K.APPRAISE, K.DECIDE, K.ISSUE, K.RETURN],
        ),
        (
            [DESK, SPECIALIST, LEADER, CLERK, DESK],
            [K.RECEIVE, K.APPRAISE, K.DECIDE, K.ISSUE, K.RETURN],
        ),
    ],
)
def test_a_step_kind_is_read_from_its_role_and_place(roles: list[str], kinds: list[K]) -> None:
    assert step_kinds(roles) == kinds


def _at_assignment(world: World) -> tuple[Office, Dossier]:
    office = add_full_workflow(world)
    d = file_marital(world, vn(2026, 3, 2, 9))
    d = actions.forward(d, actor=world.desk_a, at=vn(2026, 3, 2, 10))
    assert d.current_step is not None and d.current_step.kind == K.ASSIGN
    return office, d


def _snapshot(d: Dossier) -> tuple[Any, ...]:
    fresh = Dossier.objects.get(pk=d.pk)
    return fresh.version, fresh.status, fresh.current_step_id, fresh.event_count


def _inbox(user: Any, name: Queue = Queue.IN_PROGRESS) -> set[str]:
    return set(queue(Scope.of(user), name, vn(2026, 3, 2, 12)).values_list("code", flat=True))


def test_the_office_leader_assigns_a_named_specialist_who_alone_holds_the_step(
    world: World,
) -> None:
    office, d = _at_assignment(world)
    # Unassigned, the step is in the inbox of every holder of its role.
    assert d.code in _inbox(office.office_leader)
    d = actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    step = d.current_step
    assert step is not None and step.kind == K.APPRAISE and step.assignee == office.specialist2
    # Only the named specialist sees it and may act; their colleague of the same office not.
    assert d.code in _inbox(office.specialist2)
    assert d.code not in _inbox(world.specialist_a)
    assert Verb.FORWARD in allowed_verbs(office.specialist2, d)
    assert Verb.FORWARD not in allowed_verbs(world.specialist_a, d)
    with pytest.raises(NotAllowed):
        actions.forward(d, actor=world.specialist_a, at=vn(2026, 3, 2, 12), comment="Ý kiến")
    event = d.events.order_by("-seq").first()
    assert event is not None
    assert event.payload["assignee_name"] == "Nguyễn Văn Bảo"
    assert event.payload["step_kind"] == K.ASSIGN


@pytest.mark.parametrize("who", ["nobody", "ward_b", "clerk", "unknown"])
def test_an_assignee_outside_the_next_steps_role_and_agency_is_refused(
    world: World, who: str
) -> None:
    office, d = _at_assignment(world)
    before = _snapshot(d)
    chosen: Any = {
        "nobody": None,
        "ward_b": office.specialist_b,  # a specialist, but of ward B's office
        "clerk": office.clerk,  # ward A's office, but not a specialist
        "unknown": "no-such-user",
    }[who]
    with pytest.raises(InvalidInput) as refused:
        actions.forward(d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=chosen)
    assert refused.value.extra["field"] == "assignee"
    assert _snapshot(d) == before


def test_the_appraisal_needs_an_opinion_and_the_timeline_keeps_it(world: World) -> None:
    office, d = _at_assignment(world)
    d = actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    before = _snapshot(d)
    with pytest.raises(InvalidInput) as refused:
        actions.forward(d, actor=office.specialist2, at=vn(2026, 3, 2, 14), comment="  ")
    assert refused.value.extra["field"] == "comment"
    assert _snapshot(d) == before
    d = actions.forward(
        d, actor=office.specialist2, at=vn(2026, 3, 2, 14), comment="Đủ điều kiện cấp."
    )
    last = d.events.order_by("-seq").first()
    assert last is not None and last.payload["opinion"] == "Đủ điều kiện cấp."
    # The opinion is the officers': no message to the applicant carries it.
    assert not OutboxMessage.objects.filter(payload__has_key="opinion").exists()


def _at_issue(world: World) -> tuple[Office, Dossier]:
    office, d = _at_assignment(world)
    d = actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    d = actions.forward(d, actor=office.specialist2, at=vn(2026, 3, 2, 14), comment="Đủ.")
    d = actions.forward(d, actor=office.office_leader, at=vn(2026, 3, 2, 15))
    d = actions.approve(d, actor=world.leader_a, at=vn(2026, 3, 3, 9), comment="Đồng ý ký.")
    assert d.current_step is not None and d.current_step.kind == K.ISSUE
    return office, d


def test_the_clerks_number_is_stored_and_in_the_chain(world: World) -> None:
    office, d = _at_issue(world)
    before = _snapshot(d)
    number: dict[str, Any] = {"result_number": "125", "result_symbol": "GXN-UBND"}
    cases: list[tuple[str, dict[str, Any]]] = [
        ("result_number", {"result_symbol": "GXN-UBND", "result_date": date(2026, 3, 3)}),
        ("result_date", number),
        ("result_date", {**number, "result_date": date(2026, 3, 4)}),  # tomorrow
    ]
    for missing, params in cases:
        with pytest.raises(InvalidInput) as refused:
            actions.forward(d, actor=office.clerk, at=vn(2026, 3, 3, 10), **params)
        assert refused.value.extra["field"] == missing
    assert _snapshot(d) == before
    d = actions.forward(
        d, actor=office.clerk, at=vn(2026, 3, 3, 10), **number, result_date=date(2026, 3, 3)
    )
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.result_number, stored.result_symbol, stored.result_date) == (
        "125",
        "GXN-UBND",
        date(2026, 3, 3),
    )
    assert stored.status == "result_ready"
    event = DossierEvent.objects.filter(dossier=stored, verb="forward").order_by("-seq").first()
    assert event is not None
    assert event.payload["result_number"] == "125" and event.payload["result_date"] == "2026-03-03"
    assert actions.verify_chain(stored)
    approve = DossierEvent.objects.get(dossier=stored, verb="approve")
    assert approve.payload["comment"] == "Đồng ý ký."


def test_the_return_records_how_and_who_collected_it(world: World) -> None:
    office, d = _at_issue(world)
    d = actions.forward(
        d,
        actor=office.clerk,
        at=vn(2026, 3, 3, 10),
        result_number="1",
        result_symbol="GXN-UBND",
        result_date=date(2026, 3, 3),
    )
    cases: list[tuple[dict[str, Any], str]] = [
        ({}, "return_method"),
        ({"return_method": "by pigeon"}, "return_method"),
        ({"return_method": "desk"}, "collector_name"),
    ]
    for params, field in cases:
        with pytest.raises(InvalidInput) as refused:
            actions.return_result(d, actor=world.desk_a, at=vn(2026, 3, 3, 14), **params)
        assert refused.value.extra["field"] == field
    d = actions.return_result(
        d,
        actor=world.desk_a,
        at=vn(2026, 3, 3, 14),
        return_method="desk",
        collector_name="Trần Văn Cường",
        collector_id_number="087090000777",
    )
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.return_method, stored.collector_name) == ("desk", "Trần Văn Cường")
    event = stored.events.order_by("-seq").first()
    assert event is not None and event.payload["collector_name"] == "Trần Văn Cường"
    assert actions.verify_chain(stored)


def test_a_step_sent_back_returns_to_the_same_specialist(world: World) -> None:
    office, d = _at_assignment(world)
    d = actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    d = actions.forward(d, actor=office.specialist2, at=vn(2026, 3, 2, 14), comment="Đủ.")
    d = actions.send_back(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 15), reason="Bổ sung căn cứ"
    )
    assert d.current_step is not None and d.current_step.assignee == office.specialist2
    assert d.code not in _inbox(world.specialist_a)


def test_awaiting_signature_holds_the_decision_step_only(world: World) -> None:
    office, d = _at_assignment(world)
    chairman = world.leader_a
    # The office leader's assignment and check steps are never awaiting a signature.
    assert _inbox(office.office_leader, Queue.AWAITING_SIGNATURE) == set()
    d = actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    d = actions.forward(d, actor=office.specialist2, at=vn(2026, 3, 2, 14), comment="Đủ.")
    assert d.current_step is not None and d.current_step.kind == K.CHECK
    assert _inbox(office.office_leader, Queue.AWAITING_SIGNATURE) == set()
    assert d.code in _inbox(office.office_leader)
    assert _inbox(chairman, Queue.AWAITING_SIGNATURE) == set()
    d = actions.forward(d, actor=office.office_leader, at=vn(2026, 3, 2, 15))
    assert _inbox(chairman, Queue.AWAITING_SIGNATURE) == {d.code}
    assert _inbox(office.office_leader, Queue.AWAITING_SIGNATURE) == set()


def test_the_api_refuses_a_wrong_assignee_as_problem_json(world: World, client: Client) -> None:
    _office, d = _at_assignment(world)
    auth = bearer(client, "office_leader_a")
    url = f"/api/v1/dossiers/{d.code}/actions/forward"
    body = {"version": d.version, "assignee": "specialist_b"}
    r = client.post(url, body, content_type="application/json", **auth)
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["field"] == "assignee" and "không giữ vai trò" in problem["detail"]
    r = client.post(
        url, {**body, "assignee": "specialist2_a"}, content_type="application/json", **auth
    )
    assert r.status_code == 200, r.content
    steps = r.json()["steps"]
    assert steps[-1]["kind"] == "appraise" and steps[-1]["assignee"] == "specialist2_a"


def test_a_due_soon_warning_of_an_assigned_step_goes_to_its_assignee_only(
    world: World, settings: Any
) -> None:
    settings.WARN_DUE_WITHIN_HOURS = 8
    office, d = _at_assignment(world)
    actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    scan(vn(2026, 3, 2, 14))
    told = set(
        OutboxMessage.objects.filter(dossier__isnull=True, channel="app").values_list(
            "recipient", flat=True
        )
    ) | set(
        OutboxMessage.objects.filter(dossier=d, channel="app").values_list("recipient", flat=True)
    )
    assert "specialist2_a" in told
    assert "specialist_a" not in told


def test_the_migration_gives_the_steps_already_taken_their_kind(world: World) -> None:
    office, d = _at_assignment(world)
    actions.forward(
        d, actor=office.office_leader, at=vn(2026, 3, 2, 11), assignee=office.specialist2
    )
    DossierStep.objects.update(kind=K.OTHER)  # as the column's default left them
    migration = import_module("dossiers.migrations.0018_middle_steps")
    migration._backfill_kinds(django_apps, None)
    kinds = list(DossierStep.objects.filter(dossier=d).order_by("position").values_list("kind"))
    assert kinds == [(K.RECEIVE,), (K.ASSIGN,), (K.APPRAISE,)]
