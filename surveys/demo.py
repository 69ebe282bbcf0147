"""The demo's survey campaign: a realistic questionnaire (Decree 118 art. 33's criteria,
grouped by theme) over the whole province this year, and a few dozen answers."""

import random
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from orgs.models import Unit
from surveys.actions import submit
from surveys.models import Campaign, Choice, Kind, Question, ResponseChannel, Theme

TITLE = "Khảo sát sự hài lòng của người dân, tổ chức năm {year}"
INTRO = (
    "Để nâng cao chất lượng phục vụ, Ủy ban nhân dân tỉnh đề nghị ông/bà cho biết ý kiến về "
    "việc giải quyết thủ tục hành chính. Phiếu không yêu cầu ghi họ tên."
)
LOW, HIGH = "Rất không hài lòng", "Rất hài lòng"

# (theme, text, kind, required, choices as (label, counts as satisfied))
QUESTIONNAIRE: list[tuple[Theme, str, Kind, bool, list[tuple[str, bool | None]]]] = [
    (
        Theme.ACCESS,
        "Ông/bà biết đến thủ tục hành chính này qua kênh nào?",
        Kind.CHOICE,
        True,
        [
            ("Cổng Dịch vụ công", None),
            ("Niêm yết tại Bộ phận Một cửa", None),
            ("Công chức hướng dẫn", None),
            ("Người quen giới thiệu", None),
        ],
    ),
    (
        Theme.ACCESS,
        "Nơi tiếp nhận hồ sơ thuận tiện, có đủ chỗ ngồi và trang thiết bị",
        Kind.SCALE,
        True,
        [],
    ),
    (
        Theme.ACCESS,
        "Chất lượng dịch vụ công trực tuyến (nếu ông/bà đã nộp trực tuyến)",
        Kind.SCALE,
        False,
        [],
    ),
    (
        Theme.PROCEDURES,
        "Thủ tục hành chính được niêm yết công khai, đầy đủ, chính xác",
        Kind.SCALE,
        True,
        [],
    ),
    (
        Theme.PROCEDURES,
        "Thành phần hồ sơ ông/bà phải nộp có đúng như quy định đã công khai không?",
        Kind.CHOICE,
        True,
        [("Đúng quy định", True), ("Bị yêu cầu thêm giấy tờ ngoài quy định", False)],
    ),
    (
        Theme.PROCEDURES,
        "Ông/bà phải đi lại bao nhiêu lần để hoàn thành hồ sơ?",
        Kind.CHOICE,
        True,
        [("1 lần", True), ("2 lần", True), ("3 lần trở lên", False)],
    ),
    (
        Theme.OFFICERS,
        "Thái độ của công chức khi tiếp nhận, giải quyết hồ sơ",
        Kind.SCALE,
        True,
        [],
    ),
    (
        Theme.OFFICERS,
        "Công chức hướng dẫn kê khai, bổ sung hồ sơ tận tình, dễ hiểu",
        Kind.SCALE,
        True,
        [],
    ),
    (
        Theme.OFFICERS,
        "Ông/bà có phải trả khoản chi phí nào ngoài quy định không?",
        Kind.CHOICE,
        True,
        [("Không", True), ("Có", False)],
    ),
    (
        Theme.RESULTS,
        "Kết quả được trả so với ngày hẹn",
        Kind.CHOICE,
        True,
        [("Sớm hơn hẹn", True), ("Đúng hẹn", True), ("Trễ hẹn", False)],
    ),
    (
        Theme.RESULTS,
        "Kết quả giải quyết đúng quy định, thông tin chính xác",
        Kind.SCALE,
        True,
        [],
    ),
    (
        Theme.FEEDBACK,
        "Góp ý, phản ánh của ông/bà có được tiếp nhận và trả lời thỏa đáng không?",
        Kind.CHOICE,
        True,
        [("Có", True), ("Không", False), ("Chưa góp ý, phản ánh lần nào", None)],
    ),
    (
        Theme.FEEDBACK,
        "Ông/bà có góp ý gì để chúng tôi phục vụ tốt hơn?",
        Kind.TEXT,
        False,
        [],
    ),
]

COMMENTS = [
    "Cán bộ nhiệt tình, hướng dẫn rõ ràng.",
    "Nên bố trí thêm ghế chờ vào buổi sáng.",
    "Trang dịch vụ công đôi lúc tải chậm.",
    "",
    "",
]


def create_questionnaire(campaign: Campaign) -> list[Question]:
    """Add the demo questionnaire to `campaign`."""
    questions = []
    for position, (theme, text, kind, required, choices) in enumerate(QUESTIONNAIRE, start=1):
        question = Question.objects.create(
            campaign=campaign,
            theme=theme,
            position=position,
            text=text,
            kind=kind,
            required=required,
            low_label=LOW if kind == Kind.SCALE else "",
            high_label=HIGH if kind == Kind.SCALE else "",
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=i, label=label, satisfied=satisfied)
            for i, (label, satisfied) in enumerate(choices, start=1)
        )
        questions.append(question)
    return questions


def _answers(questions: list[Question], rng: random.Random, mood: float) -> dict[int, Any]:
    answers: dict[int, Any] = {}
    for question in questions:
        if question.kind == Kind.SCALE:
            if not question.required and rng.random() < 0.5:
                continue
            high = rng.random() < mood
            answers[question.pk] = rng.choice([4, 5, 5]) if high else rng.choice([1, 2, 3, 3])
        elif question.kind == Kind.CHOICE:
            options = list(question.choices.all())
            good = [c for c in options if c.satisfied is not False]
            bad = [c for c in options if c.satisfied is False] or good
            answers[question.pk] = rng.choice(good if rng.random() < mood else bad).pk
        elif comment := rng.choice(COMMENTS):
            answers[question.pk] = comment
    return answers


def seed_demo_campaign(now: datetime, *, responses: int = 60, seed: int = 118) -> Campaign | None:
    """Create this year's demo campaign over the province with `responses` answers spread over
    the last 60 days (none if the campaign exists already)."""
    year = now.year
    title = TITLE.format(year=year)
    if Campaign.objects.filter(title=title).exists():
        return None
    rng = random.Random(seed)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title, introduction=INTRO, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)
        )
        roots = list(Unit.objects.current_at(timezone.localdate(now)).filter(parent__isnull=True))
        campaign.units.set(roots)
        questions = create_questionnaire(campaign)
        wards = list(campaign.covered_units(now).exclude(parent__isnull=True)[:8])
        first = datetime(year, 1, 1, 8, tzinfo=now.tzinfo)
        for _n in range(responses if wards else 0):
            unit = rng.choice(wards)
            at = max(first, now - timedelta(minutes=rng.randrange(60 * 24 * 60)))
            mood = 0.55 + 0.4 * (wards.index(unit) % 3) / 2
            submit(
                campaign,
                unit=unit,
                answers=_answers(questions, rng, mood),
                # Anonymous portal answers: desk and link answers are tied to dossiers.
                channel=ResponseChannel.PORTAL,
                at=at,
            )
    return campaign
