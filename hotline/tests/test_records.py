"""The records the hotline reads and writes: dossier lookups, the SMS and the IOC figures."""

from datetime import datetime, timedelta

from django.test import Client

from dossiers import actions
from dossiers.models import OutboxMessage
from hotline.figures import daily
from hotline.menu import DossierStatus, NotFound
from hotline.models import Call, Outcome
from hotline.service import find_dossier
from lib.lookupnumber import lookup_number
from notify.defaults import TEXTS
from notify.render import render, values_for
from testing.clock import vn
from testing.dossiers import intake
from testing.warnings import signed_in_page
from testing.world import World

DAY = vn(2026, 3, 10, 12)


def logged(at: datetime, outcome: str, found: int = 0) -> None:
    Call.objects.create(
        started_at=at, ended_at=at, outcome=outcome, dossier_lookups=found, dossiers_found=found
    )


def test_calls_are_counted_per_local_day_on_both_sides_of_midnight(world: World) -> None:
    logged(vn(2026, 3, 9, 23, 59), Outcome.ANSWERED, found=1)  # 16:59 UTC, still the 9th
    logged(vn(2026, 3, 10, 0, 0), Outcome.TRANSFERRED)  # 17:00 UTC the 9th, local the 10th
    logged(vn(2026, 3, 10, 8), Outcome.ABANDONED)
    logged(vn(2026, 3, 10, 9), Outcome.ANSWERED, found=2)
    logged(vn(2026, 3, 10, 10), Outcome.ENDED)
    days = daily(DAY.date() - timedelta(days=1), DAY.date())
    assert [
        (d.day.day, d.calls, d.answered, d.transferred, d.abandoned, d.ended) for d in days
    ] == [
        (9, 1, 1, 0, 0, 0),
        (10, 4, 1, 1, 1, 1),
    ]
    assert [d.dossiers_found for d in days] == [1, 2]
    assert daily(DAY.date(), DAY.date())[0].calls == 4  # the 9th left out


def test_the_ioc_page_shows_the_figures_to_figure_readers_only(world: World) -> None:
    logged(DAY - timedelta(hours=1), Outcome.TRANSFERRED)
    status, html = signed_in_page(Client(), "ioc", "/ioc/hotline/?start=2026-03-01", DAY)
    assert status == 200
    assert "10/03/2026" in html and "01/03/2026" in html
    status, _ = signed_in_page(Client(), "desk_b", "/ioc/hotline/", DAY)
    assert status == 403
    status, _ = signed_in_page(
        Client(), "ioc", "/ioc/hotline/?start=2026-03-10&end=2025-01-01", DAY
    )
    assert status == 200


def test_the_receipt_sms_gives_the_lookup_number(world: World) -> None:
    d = intake(world, DAY)
    message = OutboxMessage.objects.filter(dossier=d).first()
    assert message is not None
    values = values_for(message)
    assert values["lookup"] == d.lookup_number
    for event in ("receive", "received", "accept", "submit"):
        subject, body = TEXTS[event]
        assert d.lookup_number in render(subject, body, values, channel="sms").body


def test_a_supplement_request_tells_the_caller_what_to_bring(world: World) -> None:
    d = intake(world, DAY)
    actions.request_supplement(
        d, actor=world.desk_a, at=DAY, reason="Thiếu tờ khai", missing_documents=["Tờ khai"]
    )
    found = find_dossier(d.lookup_number, d.public_secret, caller="0912", at=DAY)
    assert isinstance(found, DossierStatus)
    assert (found.status, found.bring, found.due) == ("supplement_requested", ("Tờ khai",), None)
    wrong = find_dossier(d.lookup_number, "000000", caller="0912", at=DAY)
    unknown = find_dossier(lookup_number(d.pk + 1000), "000000", caller="0912", at=DAY)
    assert wrong == unknown == NotFound()
