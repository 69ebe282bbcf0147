"""Fees due at filing: an online filing is not received until they are paid (desk, API and
engine alike), and the citizen is told to pay first."""

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from dossiers import actions
from dossiers.actions import Applicant, InvalidTransition, ReceivedDocument
from dossiers.models import Dossier, Status
from payments import actions as pay
from payments.fees import summary, unpaid_at_filing
from payments.models import FeeDue, FeeLine
from testing.api import bearer, login
from testing.filing import signed_in_citizen
from testing.vnpay import LiveGateway, add_fees

pytestmark = pytest.mark.django_db


def _filed(world: World, due: str = FeeDue.AT_FILING) -> tuple[Dossier, Client]:
    version = add_fees(due=due)
    user, client = signed_in_citizen()
    d = actions.file_dossier(
        actor=user,
        version=version,
        receiving_unit=world.ward_a,
        channel="2",
        applicant=Applicant("person", "Nguyễn Văn A", "087095000123", phone="0912000111"),
        documents=[ReceivedDocument(1)],
        at=timezone.now(),
    )
    return d, client


def _cash(world: World, d: Dossier, amount: int, number: str) -> None:
    pay.record_at_desk(
        d,
        method="cash",
        amount_vnd=amount,
        receipt_number=number,
        by=world.desk_a,
        at=timezone.now(),
    )


def test_an_online_filing_waits_for_the_fees_due_at_filing(world: World) -> None:
    d, _client = _filed(world)
    with pytest.raises(InvalidTransition, match=r"70\.000 đồng phí, lệ phí phải nộp khi nộp"):
        actions.accept(d, actor=world.desk_a, at=timezone.now())
    assert Dossier.objects.get(pk=d.pk).status == Status.SUBMITTED
    _cash(world, d, 50_000, "BL-1")  # a part is not enough
    with pytest.raises(InvalidTransition, match=r"20\.000 đồng"):
        actions.accept(Dossier.objects.get(pk=d.pk), actor=world.desk_a, at=timezone.now())
    _cash(world, d, 20_000, "BL-2")
    d = actions.accept(Dossier.objects.get(pk=d.pk), actor=world.desk_a, at=timezone.now())
    assert d.status == Status.IN_PROGRESS


def test_only_the_lines_due_at_filing_hold_the_intake(world: World) -> None:
    d, _client = _filed(world)
    # The charge is due before return; only the fee (50.000) holds the intake.
    FeeLine.objects.filter(version=d.procedure_version, kind="charge").update(
        due=FeeDue.BEFORE_RETURN
    )
    assert unpaid_at_filing(summary(d)) == 50_000
    _cash(world, d, 50_000, "BL-3")
    d = actions.accept(Dossier.objects.get(pk=d.pk), actor=world.desk_a, at=timezone.now())
    assert d.status == Status.IN_PROGRESS and summary(d).outstanding_vnd == 20_000


def test_fees_due_before_return_do_not_hold_the_intake(world: World) -> None:
    d, _client = _filed(world, due=FeeDue.BEFORE_RETURN)
    d = actions.accept(d, actor=world.desk_a, at=timezone.now())
    assert d.status == Status.IN_PROGRESS


def test_the_desk_and_the_api_are_told_why(world: World, client: Client) -> None:
    d, _citizen = _filed(world)
    desk = login(Client(), "desk_a")
    r = desk.post(f"/desk/dossiers/{d.code}/act/accept/", {"version": d.version}, follow=True)
    assert "70.000 đồng phí, lệ phí phải nộp khi nộp hồ sơ" in r.content.decode()
    auth = bearer(client, "desk_a")
    refused = client.post(
        f"/api/v1/dossiers/{d.code}/actions/accept",
        {"version": d.version},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "70.000 đồng" in refused.json()["detail"]
    assert Dossier.objects.get(pk=d.pk).status == Status.SUBMITTED


def test_the_citizen_is_told_to_pay_first(world: World, vnpay: LiveGateway) -> None:
    d, client = _filed(world)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert (
        'id="pay-first"' in page
        and "70.000 đồng phí, lệ phí phải nộp khi nộp hồ sơ" in page
        and 'id="pay"' in page
    )
    _cash(world, d, 70_000, "BL-4")
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert 'id="pay-first"' not in page and 'id="pay"' not in page
