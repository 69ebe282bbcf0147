"""The satisfaction index of survey answers: defined here, once.

For a set of responses (some units, a period, optionally one campaign):

- a *rated answer* is an answer to a scale question, or the choice of an option that says
  whether it counts as satisfied (`Choice.satisfied` set); free text and options such as
  "no opinion" are not rated;
- a rated answer is *satisfied* when its point is at least the question's `satisfied_from`
  (on a 1-5 scale with the default 4: "satisfied" or "very satisfied"), or when its option
  counts as satisfied;
- the **satisfaction index** is 100 × satisfied rated answers / rated answers, in percent,
  rounded to one decimal; None without rated answers;
- per theme, the same share over the theme's rated answers, and the **average score** of its
  scale answers on 0-100 (point p of a scale of n points scores 100 × (p − 1) / (n − 1), so
  scales of different sizes average together).

The wall and the results page call `satisfaction(unit_paths, period)` and `by_unit(...)`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Sum, When
from django.db.models.functions import Cast

from surveys.models import THEME_ORDER, Answer, Kind, Response, Theme

_RATED = Q(question__kind=Kind.SCALE, value__isnull=False) | Q(choice__satisfied__isnull=False)
_SATISFIED = Q(question__kind=Kind.SCALE, value__gte=F("question__satisfied_from")) | Q(
    choice__satisfied=True
)


class PeriodLike(Protocol):
    """Local days as instants [begins, ends): `stats.report.Period` is one."""

    @property
    def begins(self) -> datetime: ...

    @property
    def ends(self) -> datetime: ...


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent with one decimal, None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Rated and satisfied answers, and the scale answers' summed 0-100 scores."""

    rated: int = 0
    satisfied: int = 0
    scale_answers: int = 0
    score_sum: float = 0.0

    def add(self, other: "Tally") -> None:
        self.rated += other.rated
        self.satisfied += other.satisfied
        self.scale_answers += other.scale_answers
        self.score_sum += other.score_sum

    @property
    def index(self) -> Decimal | None:
        return percent(self.satisfied, self.rated)

    @property
    def average_score(self) -> Decimal | None:
        if not self.scale_answers:
            return None
        value = Decimal(str(self.score_sum / self.scale_answers))
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Satisfaction:
    """The figures of a set of responses: their number, the index, and per theme."""

    responses: int = 0
    total: Tally = field(default_factory=Tally)
    themes: dict[Theme, Tally] = field(default_factory=lambda: {t: Tally() for t in THEME_ORDER})

    @property
    def index(self) -> Decimal | None:
        return self.total.index

    @property
    def theme_list(self) -> list[tuple[Theme, Tally]]:
        return [(theme, self.themes[theme]) for theme in THEME_ORDER]


def _responses(unit_paths: list[str], period: PeriodLike, campaign_id: int | None) -> "Q":
    where = Q(submitted_at__gte=period.begins, submitted_at__lt=period.ends)
    if campaign_id is not None:
        where &= Q(campaign_id=campaign_id)
    under = Q(pk__in=[])
    for path in unit_paths:
        under |= Q(unit__path__startswith=path)
    return where & under


def _tallies(
    unit_paths: list[str], period: PeriodLike, campaign_id: int | None
) -> list[dict[str, Any]]:
    """One aggregate row per (unit, theme): one grouped query over the answers."""
    where = _responses(unit_paths, period, campaign_id)
    answers = Answer.objects.filter(response__in=Response.objects.filter(where))
    scale = Q(question__kind=Kind.SCALE, value__isnull=False)
    score = (
        Cast(F("value") - 1, FloatField())
        * 100.0
        / Cast(F("question__scale_max") - 1, FloatField())
    )
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in answers.values("response__unit_id", "question__theme")
        .annotate(
            rated=Sum(Case(When(_RATED, then=1), default=0, output_field=IntegerField())),
            satisfied=Sum(
                Case(When(_RATED & _SATISFIED, then=1), default=0, output_field=IntegerField())
            ),
            scale_answers=Count("pk", filter=scale),
            score_sum=Sum(Case(When(scale, then=score), default=None, output_field=FloatField())),
        )
        .order_by()
    ]
    return rows


def _response_counts(
    unit_paths: list[str], period: PeriodLike, campaign_id: int | None
) -> dict[int, int]:
    rows = (
        Response.objects.filter(_responses(unit_paths, period, campaign_id))
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["unit_id"]: row["n"] for row in rows}


def _tally(row: dict[str, Any]) -> Tally:
    return Tally(
        rated=int(row["rated"] or 0),
        satisfied=int(row["satisfied"] or 0),
        scale_answers=int(row["scale_answers"] or 0),
        score_sum=float(row["score_sum"] or 0.0),
    )


def by_unit(
    unit_paths: list[str], period: PeriodLike, *, campaign_id: int | None = None
) -> dict[int, Satisfaction]:
    """The figures of each unit that has responses under `unit_paths` in the period."""
    out: dict[int, Satisfaction] = defaultdict(Satisfaction)
    for unit_id, count in _response_counts(unit_paths, period, campaign_id).items():
        out[unit_id].responses = count
    for row in _tallies(unit_paths, period, campaign_id):
        tally = _tally(row)
        figures = out[row["response__unit_id"]]
        figures.themes[Theme(row["question__theme"])].add(tally)
        figures.total.add(tally)
    return dict(out)


def satisfaction(
    unit_paths: list[str], period: PeriodLike, *, campaign_id: int | None = None
) -> Satisfaction:
    """The figures of all responses about units under `unit_paths` (materialised paths such
    as "/1/7/") submitted in the period: two grouped queries, whatever the campaign."""
    out = Satisfaction()
    for figures in by_unit(unit_paths, period, campaign_id=campaign_id).values():
        out.responses += figures.responses
        out.total.add(figures.total)
        for theme, tally in figures.themes.items():
            out.themes[theme].add(tally)
    return out
