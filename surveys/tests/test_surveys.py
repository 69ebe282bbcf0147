"""Satisfaction surveys: one answer per dossier or account, signed links, the anonymous
limit, the campaign's period, the index's arithmetic and the XLSX export."""

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from openpyxl import load_workbook

from conftest import World
from dossiers import actions
from dossiers.models import OutboxMessage
from notify.render import fill, values_for
from stats.report import Period
from surveys.actions import SurveyError, submit
from surveys.demo import seed_demo_campaign
from surveys.figures import satisfaction
from surveys.models import Campaign, Question, Response, ResponseChannel, Theme
from surveys.tokens import make_token
from testing.clock import VN
from testing.dossiers import finish, intake
from testing.surveys import campaign as _campaign

MARCH = datetime(2026, 3, 10, 9, tzinfo=VN)


def _choice(question: Question, label: str) -> int:
    return question.choices.get(label=label).pk


def _form(
    q: tuple[Campaign, Question, Question, Question], point: int, label: str
) -> dict[str, Any]:
    _c, scale, choice, text = q
    return {
        f"q{scale.pk}": str(point),
        f"q{choice.pk}": str(_choice(choice, label)),
        f"q{text.pk}": "",
    }


def test_one_answer_per_dossier_and_per_account(world: World) -> None:
    campaign, scale, choice, _text = _campaign(world)
    d = intake(world, MARCH)
    answers = {scale.pk: 5, choice.pk: _choice(choice, "Đúng hẹn")}
    args: dict[str, Any] = {"unit": world.ward_a, "answers": answers, "at": MARCH}
    submit(campaign, channel=ResponseChannel.DESK, dossier=d, **args)
    with pytest.raises(SurveyError, match="đã được trả lời"):
        submit(campaign, channel=ResponseChannel.LINK, dossier=d, **args)
    submit(campaign, channel=ResponseChannel.PORTAL, account=world.citizen, **args)
    with pytest.raises(SurveyError):
        submit(campaign, channel=ResponseChannel.PORTAL, account=world.citizen, **args)
    # The database itself refuses a second row, whoever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            campaign=campaign, unit=world.ward_a, dossier=d, channel="desk", submitted_at=MARCH
        )
    # Anonymous answers are not constrained by the database (the rate limiter counts them).
    submit(campaign, channel=ResponseChannel.PORTAL, **args)
    submit(campaign, channel=ResponseChannel.PORTAL, **args)
    assert Response.objects.filter(campaign=campaign).count() == 4


def test_campaign_outside_its_period_refuses_answers(world: World, client: Client) -> None:
    campaign, scale, choice, _text = _campaign(world, ends_on=date(2026, 3, 9))
    answers = {scale.pk: 4, choice.pk: _choice(choice, "Đúng hẹn")}
    last_minute = datetime(2026, 3, 9, 23, 59, tzinfo=VN)
    submit(
        campaign, unit=world.ward_a, answers=answers, channel=ResponseChannel.PORTAL, at=last_minute
    )
    for at in (datetime(2026, 3, 10, 0, 0, tzinfo=VN), datetime(2025, 12, 31, 23, 59, tzinfo=VN)):
        with pytest.raises(SurveyError, match="không mở"):
            submit(
                campaign, unit=world.ward_a, answers=answers, channel=ResponseChannel.PORTAL, at=at
            )
    assert client.get(f"/khao-sat/{campaign.pk}/").status_code == 410
    campaign.ends_on = date(2099, 1, 1)
    campaign.active = False
    campaign.save()
    assert client.get(f"/khao-sat/{campaign.pk}/").status_code == 404


def test_required_questions_and_covered_units(world: World) -> None:
    campaign, scale, choice, _text = _campaign(world)
    with pytest.raises(SurveyError, match="Thái độ"):
        submit(
            campaign,
            unit=world.ward_a,
            answers={choice.pk: _choice(choice, "Trễ hẹn")},
            channel=ResponseChannel.PORTAL,
            at=MARCH,
        )
    campaign.units.set([world.ward_b])
    with pytest.raises(SurveyError):
        submit(
            campaign,
            unit=world.ward_a,
            answers={scale.pk: 3, choice.pk: _choice(choice, "Trễ hẹn")},
            channel=ResponseChannel.PORTAL,
            at=MARCH,
        )


def test_index_arithmetic(world: World) -> None:
    campaign, scale, choice, text = _campaign(world)
    rows = [
        # (scale point, choice label, unit)
        (5, "Đúng hẹn", world.ward_a),
        (4, "Trễ hẹn", world.ward_a),
        (2, "Không rõ", world.ward_a),
        (1, "Đúng hẹn", world.ward_b),
    ]
    for point, label, unit in rows:
        answers = {scale.pk: point, choice.pk: _choice(choice, label), text.pk: "Tốt"}
        submit(campaign, unit=unit, answers=answers, channel=ResponseChannel.PORTAL, at=MARCH)
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    a = satisfaction([world.ward_a.path], march)
    # Rated: 3 scale answers + 2 choices ("Không rõ" is not rated); satisfied: 5, 4, Đúng hẹn.
    assert a.responses == 3
    assert (a.total.rated, a.total.satisfied) == (5, 3)
    assert a.index == Decimal("60.0")
    officers = a.themes[Theme.OFFICERS]
    assert officers.index == Decimal("66.7")  # 2 of 3
    assert officers.average_score == Decimal("66.7")  # (100 + 75 + 25) / 3
    assert a.themes[Theme.RESULTS].index == Decimal("50.0")
    assert a.themes[Theme.FEEDBACK].index is None  # free text is never rated
    province = satisfaction([world.province.path], march)
    assert province.responses == 4 and province.index == Decimal("57.1")  # 4 of 7
    assert (
        satisfaction([world.province.path], Period(date(2026, 4, 1), date(2026, 4, 30))).index
        is None
    )
    # A 10-point scale satisfied from 8: point 8 counts, 7 does not; both average on 0-100.
    scale.scale_max, scale.satisfied_from = 10, 8
    scale.save()
    Response.objects.all().delete()
    for point in (8, 7):
        submit(
            campaign,
            unit=world.ward_b,
            answers={scale.pk: point, choice.pk: _choice(choice, "Không rõ")},
            channel=ResponseChannel.PORTAL,
            at=MARCH,
        )
    b = satisfaction([world.ward_b.path], march)
    assert b.index == Decimal("50.0")
    assert b.themes[Theme.OFFICERS].average_score == Decimal("72.2")  # (77.78 + 66.67) / 2


def test_signed_link_tied_to_the_dossier_and_tampering_refused(
    world: World, client: Client
) -> None:
    q = _campaign(world)
    campaign = q[0]
    d = intake(world, MARCH)
    token = make_token(d.pk)
    other = intake(world, MARCH)
    forged = f"{other.pk}:{token.split(':', 1)[1]}"
    for bad in (forged, token[:-1] + ("A" if token[-1] != "A" else "B"), "1:abc:def", "x" * 200):
        assert client.get(f"/khao-sat/phieu/{bad}/").status_code == 404, bad
        assert client.post(f"/khao-sat/phieu/{bad}/", _form(q, 5, "Đúng hẹn")).status_code == 404
    page = client.get(f"/khao-sat/phieu/{token}/")
    assert page.status_code == 200 and d.code in page.content.decode()
    done = client.post(f"/khao-sat/phieu/{token}/", _form(q, 5, "Đúng hẹn"))
    assert "Cảm ơn" in done.content.decode()
    response = Response.objects.get(campaign=campaign)
    assert (response.dossier_id, response.channel, response.unit_id) == (
        d.pk,
        "link",
        d.receiving_unit_id,
    )
    again = client.post(f"/khao-sat/phieu/{token}/", _form(q, 1, "Trễ hẹn"))
    assert "đã được trả lời" in again.content.decode()
    assert Response.objects.filter(campaign=campaign).count() == 1


def test_anonymous_answers_are_rate_limited(world: World, client: Client, settings: Any) -> None:
    settings.SURVEY_ANONYMOUS_PER_DAY = 2
    q = _campaign(world)
    url = f"/khao-sat/{q[0].pk}/"
    assert "Thái độ" in client.get(url).content.decode()
    form = {**_form(q, 4, "Đúng hẹn"), "unit": str(world.ward_a.pk)}
    assert [client.post(url, form).status_code for _ in range(3)] == [200, 200, 429]
    assert Response.objects.filter(account=None).count() == 2
    # Another client address still may answer.
    other = client.post(url, form, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200 and Response.objects.count() == 3


def test_desk_kiosk_ties_the_answer_to_the_dossier(world: World, client: Client) -> None:
    q = _campaign(world)
    d = finish(world, intake(world, MARCH), MARCH)
    client.force_login(world.desk_b)
    assert client.get(f"/desk/dossiers/{d.code}/survey/").status_code == 404
    client.force_login(world.desk_a)
    assert (
        f"/desk/dossiers/{d.code}/survey/"
        in client.get(f"/desk/dossiers/{d.code}/").content.decode()
    )
    page = client.get(f"/desk/dossiers/{d.code}/survey/").content.decode()
    assert "Thái độ" in page and "portal-nav" not in page
    client.post(f"/desk/dossiers/{d.code}/survey/", _form(q, 3, "Trễ hẹn"))
    response = Response.objects.get()
    assert (response.dossier_id, response.channel) == (d.pk, "desk")


def test_results_page_and_xlsx(world: World, client: Client) -> None:
    campaign, scale, choice, _text = _campaign(world)
    for point, label in ((5, "Đúng hẹn"), (2, "Trễ hẹn")):
        submit(
            campaign,
            unit=world.ward_a,
            answers={scale.pk: point, choice.pk: _choice(choice, label)},
            channel=ResponseChannel.PORTAL,
            at=MARCH,
        )
    client.force_login(world.ioc)
    query: dict[str, str | int] = {
        "unit": world.province.pk,
        "campaign": campaign.pk,
        "start": "2026-03-01",
        "end": "2026-03-31",
    }
    page = client.get("/ioc/surveys/", query).content.decode()
    assert world.ward_a.name in page and "50,0" in page
    download = client.get("/ioc/surveys/", {**query, "format": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(download.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert "01/03/2026 – 31/03/2026" in rows[1][0]
    header, ward, total = rows[3], rows[4], rows[5]
    assert header[:3] == ["Đơn vị", "Số phiếu", "Chỉ số hài lòng (%)"]
    assert ward[:3] == [world.ward_a.name, 2, 50.0]
    officers = header.index("Công chức, viên chức: tỷ lệ hài lòng (%)")
    assert ward[officers : officers + 2] == [50.0, 62.5]
    assert total[:3] == ["Tổng cộng", 2, 50.0]
    client.force_login(world.desk_b)
    assert client.get("/ioc/surveys/").status_code == 403


def test_demo_campaign_seeds_answers(world: World) -> None:
    campaign = seed_demo_campaign(MARCH, responses=12)
    assert campaign is not None
    assert campaign.questions.count() == 13
    assert Response.objects.filter(campaign=campaign).count() == 12
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    figures = satisfaction([world.province.path], year, campaign_id=campaign.pk)
    assert figures.responses == 12 and figures.index is not None
    assert seed_demo_campaign(MARCH) is None


def test_returned_result_message_carries_the_survey_link(world: World, client: Client) -> None:
    campaign = _campaign(world)[0]
    campaign.units.set([world.ward_a])
    returned = []
    for unit_is_covered in (True, False):
        d = finish(world, intake(world, MARCH), MARCH)
        if not unit_is_covered:
            campaign.active = False
            campaign.save()
        d = actions.return_result(
            d, actor=world.desk_a, at=MARCH, return_method="desk", collector_name="Nguyễn Văn A"
        )
        returned.append(d)
    covered = OutboxMessage.objects.filter(dossier=returned[0], kind="return_result")
    assert covered.exists()
    for message in covered:
        link = message.payload["survey"]
        assert values_for(message)["survey"] == link
        assert fill("Mời đánh giá: {survey}", values_for(message)).endswith(link)
    path = link.split("//", 1)[1].split("/", 1)[1]
    campaign.active = True
    campaign.save()
    assert returned[0].code in client.get(f"/{path}").content.decode()
    later = OutboxMessage.objects.filter(dossier=returned[1], kind="return_result")
    assert later.exists() and all("survey" not in m.payload for m in later)
