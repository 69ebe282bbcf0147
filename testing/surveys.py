"""A small survey campaign for tests: one question of each kind."""

from datetime import date
from typing import Any

from surveys.models import Campaign, Choice, Kind, Question, Theme
from testing.world import World


def campaign(w: World, **overrides: Any) -> tuple[Campaign, Question, Question, Question]:
    """A campaign over the province in 2026: a 1-5 scale (officers), a choice (results) with
    a "no opinion" option, and an optional free text (feedback)."""
    values = {
        "title": "Khảo sát 2026",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
    }
    campaign = Campaign.objects.create(**{**values, **overrides})
    campaign.units.set([w.province])
    scale = Question.objects.create(
        campaign=campaign, theme=Theme.OFFICERS, position=1, text="Thái độ", kind=Kind.SCALE
    )
    choice = Question.objects.create(
        campaign=campaign, theme=Theme.RESULTS, position=2, text="Đúng hẹn?", kind=Kind.CHOICE
    )
    for i, (label, satisfied) in enumerate(
        [("Đúng hẹn", True), ("Trễ hẹn", False), ("Không rõ", None)]
    ):
        Choice.objects.create(question=choice, position=i, label=label, satisfied=satisfied)
    text = Question.objects.create(
        campaign=campaign,
        theme=Theme.FEEDBACK,
        position=3,
        text="Góp ý",
        kind=Kind.TEXT,
        required=False,
    )
    return campaign, scale, choice, text
