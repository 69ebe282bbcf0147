"""The surveys' tile on the operations centre's wall (ADR 29: listed in WALL_TILES)."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.wall import Figure, Tile, WallScope
from surveys.figures import satisfaction


@dataclass(frozen=True)
class _Month:
    """This month's local days as instants [begins, ends) (a `figures.PeriodLike`)."""

    first: date

    @property
    def begins(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def ends(self) -> datetime:
        following = date(self.first.year + self.first.month // 12, self.first.month % 12 + 1, 1)
        return timezone.make_aware(datetime.combine(following, time.min))


def survey_tile(scope: WallScope) -> Tile:
    """This month's survey answers about the unit and those below it, and their index."""
    month = _Month(scope.today.replace(day=1))
    figures = satisfaction([scope.unit.path], month)
    link = (
        f"{reverse('ioc:surveys')}?unit={scope.unit.pk}"
        f"&start={month.first:%Y-%m-%d}&end={scope.today:%Y-%m-%d}"
    )
    return Tile(
        key="surveys",
        title=_("Satisfaction surveys this month"),
        figures=[
            Figure(_("Satisfaction index"), figures.index, unit="%", href=link),
            Figure(_("Answers"), figures.responses, href=link),
        ],
        note=_("Satisfied answers among rated answers (surveys)."),
    )
