"""The hotline's figures for the IOC: calls per local day by outcome, and dossiers found."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from hotline.models import Call, Outcome


@dataclass(frozen=True)
class Day:
    day: date
    calls: int
    answered: int
    transferred: int
    abandoned: int
    ended: int
    dossiers_found: int
    procedures_found: int


def daily(start: date, end: date) -> list[Day]:
    """One row per local day from `start` to `end` (both included) that had calls; one query."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    rows = (
        Call.objects.filter(started_at__gte=since, started_at__lt=until)
        .annotate(day=TruncDate("started_at", tzinfo=tz))
        .values("day")
        .annotate(
            calls=Count("pk"),
            answered=Count("pk", filter=Q(outcome=Outcome.ANSWERED)),
            transferred=Count("pk", filter=Q(outcome=Outcome.TRANSFERRED)),
            abandoned=Count("pk", filter=Q(outcome=Outcome.ABANDONED)),
            ended=Count("pk", filter=Q(outcome=Outcome.ENDED)),
            dossiers_found=Sum("dossiers_found"),
            procedures_found=Sum("procedures_found"),
        )
        .order_by("day")
    )
    return [Day(**row) for row in rows]


def total(days: list[Day]) -> Day | None:
    """The sum of the rows (None when there are none)."""
    if not days:
        return None
    fields = [f for f in Day.__dataclass_fields__ if f != "day"]
    return Day(day=days[0].day, **{f: sum(getattr(d, f) for d in days) for f in fields})
