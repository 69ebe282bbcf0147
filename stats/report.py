"""The periodic report on dossier results (form 06/VPCP/KSTT, Circular 01/2020): one definition.

For a unit (with everything below it) and a period of local days [start, end], each dossier of
the unit's competent units falls in these columns (DOMAIN.md §6):

- received = online in the period + desk/post in the period + carried over from before;
- resolved = early + on time + late (processing ended in the period: result ready, or stopped);
- in progress at the period's end = within time + overdue (judged at the period's end);
- received = resolved + in progress, on every row (cancelled dossiers, entered in error, and
  dossiers refused at intake, never received, are outside the report).

Every column is a `Q` over dossier rows, so a count and its drill-down list are the same
definition. Two rates are named and computed: `on_time_rate` = (early + on time) / resolved, as
reports quote it; `indicator_2_1` = (resolved by the due instant + in progress within time) /
received, the national indicator 2.1 of Decision 766.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from dossiers import timeliness
from dossiers.figures import COUNTERS, unit_field
from dossiers.models import Channel, Dossier, FigureCount, Grain, Punctuality
from orgs.models import Unit


class GroupBy(StrEnum):
    FIELD = "field"
    PROCEDURE = "procedure"
    UNIT = "unit"


class Column(StrEnum):
    RECEIVED_TOTAL = "received_total"
    RECEIVED_ONLINE = "received_online"
    RECEIVED_DESK_POST = "received_desk_post"
    CARRIED_OVER = "carried_over"
    RESOLVED_TOTAL = "resolved_total"
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    IN_PROGRESS_TOTAL = "in_progress_total"
    WITHIN_TIME = "within_time"
    OVERDUE = "overdue"
    # Not on form 06: digitisation (documents.digitization, ADR 16).
    DIGITISED = "digitised"
    RESULT_ON_FILE = "result_on_file"


# The columns of form 06/VPCP/KSTT; the two digitisation columns are not on the form (ADR 16).
FORM_COLUMNS = [c for c in Column if c not in (Column.DIGITISED, Column.RESULT_ON_FILE)]
DIGITISATION_COLUMNS = [Column.DIGITISED, Column.RESULT_ON_FILE]


COLUMN_LABELS = {
    Column.RECEIVED_TOTAL: _("Received, total"),
    Column.RECEIVED_ONLINE: _("Received online"),
    Column.RECEIVED_DESK_POST: _("Received at the desk or by post"),
    Column.CARRIED_OVER: _("Carried over"),
    Column.RESOLVED_TOTAL: _("Resolved, total"),
    Column.EARLY: _("Early"),
    Column.ON_TIME: _("On time"),
    Column.LATE: _("Late"),
    Column.IN_PROGRESS_TOTAL: _("In progress, total"),
    Column.WITHIN_TIME: _("Within time"),
    Column.OVERDUE: _("Overdue"),
    Column.DIGITISED: _("Digitised dossiers"),
    Column.RESULT_ON_FILE: _("Results on file"),
}


COLUMN_GROUPS = {
    Column.RECEIVED_TOTAL: _("Received"),
    Column.RECEIVED_ONLINE: _("Received"),
    Column.RECEIVED_DESK_POST: _("Received"),
    Column.CARRIED_OVER: _("Received"),
    Column.RESOLVED_TOTAL: _("Resolved"),
    Column.EARLY: _("Resolved"),
    Column.ON_TIME: _("Resolved"),
    Column.LATE: _("Resolved"),
    Column.IN_PROGRESS_TOTAL: _("In progress"),
    Column.WITHIN_TIME: _("In progress"),
    Column.OVERDUE: _("In progress"),
    Column.DIGITISED: _("Digitisation"),
    Column.RESULT_ON_FILE: _("Digitisation"),
}


@dataclass(frozen=True)
class Period:
    """Local calendar days [start, end], as instants [begins, ends)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")

    @property
    def begins(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def ends(self) -> datetime:
        return datetime.combine(
            self.end + timedelta(days=1), time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )


def column_condition(column: Column, period: Period) -> Q:
    """Return the condition on a dossier row for one column of the report."""
    t0, t1 = period.begins, period.ends
    in_period = Q(received_at__gte=t0, received_at__lt=t1)
    online = Q(channel=Channel.ONLINE)
    carried = Q(received_at__lt=t0) & (Q(finished_at__isnull=True) | Q(finished_at__gte=t0))
    resolved = timeliness.resolved_between(t0, t1)
    # In progress, within time and overdue are judged at the period's end with the words the
    # desk's inboxes use (dossiers.timeliness): a dossier waiting for a supplement is overdue
    # only if it was already past due when the supplement was requested.
    conditions = {
        Column.RECEIVED_ONLINE: in_period & online,
        Column.RECEIVED_DESK_POST: in_period & ~online,
        Column.CARRIED_OVER: carried,
        Column.RECEIVED_TOTAL: in_period | carried,
        Column.RESOLVED_TOTAL: resolved,
        Column.EARLY: resolved & timeliness.judged(Punctuality.EARLY),
        Column.ON_TIME: resolved & timeliness.judged(Punctuality.ON_TIME),
        Column.LATE: resolved & timeliness.judged(Punctuality.LATE),
        Column.IN_PROGRESS_TOTAL: timeliness.in_progress_at(t1),
        Column.WITHIN_TIME: timeliness.within_time_at(t1),
        Column.OVERDUE: timeliness.overdue_at(t1),
        # The flags dossiers.digitization keeps with the files (ADR 16), as the counters.
        Column.DIGITISED: in_period & Q(digitised=True),
        Column.RESULT_ON_FILE: resolved & Q(result_on_file=True),
    }
    return timeliness.received() & conditions[column]


GROUP_FIELDS = {
    GroupBy.FIELD: (
        "procedure_version__procedure__field__code",
        "procedure_version__procedure__field__name",
    ),
    GroupBy.PROCEDURE: ("procedure_version__procedure__code", "procedure_version__procedure__name"),
}


def _group_fields(by: GroupBy) -> tuple[str, str]:
    # Rows by unit name the unit the figures count the dossier in (ADR 22).
    if by is GroupBy.UNIT:
        return f"{unit_field()}__code", f"{unit_field()}__name"
    return GROUP_FIELDS[by]


@dataclass
class Row:
    key: str
    label: str
    counts: dict[Column, int] = field(default_factory=dict)
    # Resolved by the due instant (early + on time) and the rates built on it.

    @property
    def on_time_rate(self) -> Decimal | None:
        resolved = self.counts[Column.RESOLVED_TOTAL]
        if not resolved:
            return None
        return _pct(self.counts[Column.EARLY] + self.counts[Column.ON_TIME], resolved)

    @property
    def indicator_2_1(self) -> Decimal | None:
        total = self.counts[Column.RECEIVED_TOTAL]
        if not total:
            return None
        good = (
            self.counts[Column.EARLY]
            + self.counts[Column.ON_TIME]
            + self.counts[Column.WITHIN_TIME]
        )
        return _pct(good, total)

    @property
    def digitised_rate(self) -> Decimal | None:
        """Digitised dossiers / dossiers received in the period, percent."""
        received = self.counts[Column.RECEIVED_ONLINE] + self.counts[Column.RECEIVED_DESK_POST]
        if not received:
            return None
        return _pct(self.counts[Column.DIGITISED], received)

    @property
    def result_on_file_rate(self) -> Decimal | None:
        """Dossiers resolved with the result on file / dossiers resolved, percent."""
        resolved = self.counts[Column.RESOLVED_TOTAL]
        if not resolved:
            return None
        return _pct(self.counts[Column.RESULT_ON_FILE], resolved)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            **{c.value: self.counts[c] for c in Column},
            "on_time_rate": self.on_time_rate,
            "indicator_2_1": self.indicator_2_1,
            "digitised_rate": self.digitised_rate,
            "result_on_file_rate": self.result_on_file_rate,
        }


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Report:
    unit: Unit
    period: Period
    by: GroupBy
    rows: list[Row]
    total: Row


def dossiers_of(unit: Unit) -> QuerySet[Dossier]:
    """Dossiers counted in the unit or any unit below it: decided there (or, with
    FIGURES_UNIT=receiving, received there; `dossiers.figures.unit_field`, ADR 22)."""
    return Dossier.objects.filter(**{f"{unit_field()}__path__startswith": unit.path})


# --- reading a period from the counters (dossiers.figures keeps them) -----------------------

FIGURE_GROUP_FIELDS = {
    GroupBy.FIELD: ("procedure__field__code", "procedure__field__name"),
    GroupBy.PROCEDURE: ("procedure__code", "procedure__name"),
    GroupBy.UNIT: ("competent_unit__code", "competent_unit__name"),
}


def before(day: date) -> Q:
    """Rows whose buckets together cover exactly the local days before `day`.

    Year rows of earlier years, month rows of earlier months of its year, day rows of earlier
    days of its month: at most (years of history) + 11 + 30 rows per group.
    """
    year, month = day.replace(month=1, day=1), day.replace(day=1)
    return (
        Q(grain=Grain.YEAR, bucket__lt=year)
        | Q(grain=Grain.MONTH, bucket__gte=year, bucket__lt=month)
        | Q(grain=Grain.DAY, bucket__gte=month, bucket__lt=day)
    )


def figure_rows(
    unit: Unit, period: Period, by: GroupBy
) -> list[tuple[str, str, dict[Column, int]]]:
    """Return (key, label, counts) per group from the counters, in key order (one query).

    With S_X(t) the sum of counter X over the days before t, T0 the first day of the period
    and T1 the day after its last: received online / desk-post and early / on time / late are
    S(T1) - S(T0); carried over = S_received(T0) - S_finished(T0); in progress =
    S_received(T1) - S_finished(T1); overdue = S_overdue_from(T1) - S_overdue_until(T1);
    digitised and result on file are S(T1) - S(T0).
    """
    key_field, label_field = FIGURE_GROUP_FIELDS[by]
    t0, t1 = period.start, period.end + timedelta(days=1)
    sums = {}
    for tag, day in (("0", t0), ("1", t1)):
        for name in COUNTERS:
            sums[f"{name}_{tag}"] = Sum(name, filter=before(day))
    # The ids as a literal list: the planner then scans the unique index once per unit and
    # grain range (a subquery made PostgreSQL scan the whole table).
    subtree = list(Unit.objects.subtree_of(unit).values_list("id", flat=True))
    # The unit list inside every range term (not beside the OR): each term is then one index
    # range (unit, grain, bucket), which SQLite's OR optimisation and PostgreSQL's bitmap OR
    # both use; with the list outside, SQLite read every counter row of the units.
    ranges = Q()
    for term in (*before(t0).children, *before(t1).children):
        ranges |= Q(term) & Q(competent_unit_id__in=subtree)
    qs = (
        FigureCount.objects.filter(ranges)
        .values(key_field, label_field)
        .annotate(**sums)
        .order_by(key_field, label_field)
    )
    out = []
    for values in qs:
        s0 = {name: int(values[f"{name}_0"] or 0) for name in COUNTERS}
        s1 = {name: int(values[f"{name}_1"] or 0) for name in COUNTERS}
        out.append((str(values[key_field]), str(values[label_field]), _columns(s0, s1)))
    return out


# The report's columns that are flows within the period (the others are states at its ends).
FLOW_COLUMNS = (
    Column.RECEIVED_ONLINE,
    Column.RECEIVED_DESK_POST,
    Column.EARLY,
    Column.ON_TIME,
    Column.LATE,
    Column.RESOLVED_TOTAL,
    Column.DIGITISED,
    Column.RESULT_ON_FILE,
)


def _flows(s: dict[str, int]) -> dict[Column, int]:
    columns = _columns(dict.fromkeys(COUNTERS, 0), s)
    return {c: columns[c] for c in FLOW_COLUMNS}


def day_flows(unit: Unit, day: date) -> dict[Column, int]:
    """Return the flow columns of the report for one local day (one query over that day's
    counter rows): for a one-day period S(T1) - S(T0) is exactly the day's DAY rows, so these
    equal `report(unit, Period(day, day), ...)`'s, read without the prefix sums."""
    subtree = list(Unit.objects.subtree_of(unit).values_list("id", flat=True))
    sums = (
        FigureCount.objects.filter(grain=Grain.DAY, bucket=day, competent_unit_id__in=subtree)
        .order_by()
        .aggregate(**{name: Sum(name) for name in COUNTERS})
    )
    return _flows({name: int(sums[name] or 0) for name in COUNTERS})


def flows_by_unit(unit: Unit, period: Period) -> list[Row]:
    """Return, per counted unit below `unit` with any flow in the period, a row holding only
    the flow columns (`FLOW_COLUMNS`: received, resolved by punctuality, digitised), read
    from the period's DAY counter rows in one query: S(T1) - S(T0) is the sum of the day rows
    of [start, end], so these equal `report(unit, period, GroupBy.UNIT)`'s for those columns.
    Cheaper than the report for a short period (at most 31 rows per unit and procedure for a
    month); the wall reads its month this way. `Row.on_time_rate` works on such a row."""
    subtree = list(Unit.objects.subtree_of(unit).values_list("id", flat=True))
    key_field, label_field = FIGURE_GROUP_FIELDS[GroupBy.UNIT]
    qs = (
        FigureCount.objects.filter(
            grain=Grain.DAY,
            bucket__gte=period.start,
            bucket__lte=period.end,
            competent_unit_id__in=subtree,
        )
        .values(key_field, label_field)
        .annotate(**{name: Sum(name) for name in COUNTERS})
        .order_by(key_field, label_field)
    )
    rows = []
    for values in qs:
        counts = _flows({name: int(values[name] or 0) for name in COUNTERS})
        if any(counts.values()):
            rows.append(Row(str(values[key_field]), str(values[label_field]), counts))
    return rows


def _received(s: dict[str, int]) -> int:
    return s["received_online"] + s["received_desk_post"]


def _finished(s: dict[str, int]) -> int:
    return sum(s[name] for name in COUNTERS if name.startswith("finished_"))


def _columns(s0: dict[str, int], s1: dict[str, int]) -> dict[Column, int]:
    """Turn the prefix sums at T0 and T1 into the report's columns."""
    c = {
        Column.RECEIVED_ONLINE: s1["received_online"] - s0["received_online"],
        Column.RECEIVED_DESK_POST: s1["received_desk_post"] - s0["received_desk_post"],
        Column.CARRIED_OVER: _received(s0) - _finished(s0),
        Column.EARLY: s1["finished_early"] - s0["finished_early"],
        Column.ON_TIME: s1["finished_on_time"] - s0["finished_on_time"],
        Column.LATE: s1["finished_late"] - s0["finished_late"],
        Column.IN_PROGRESS_TOTAL: _received(s1) - _finished(s1),
        Column.OVERDUE: s1["overdue_from"] - s1["overdue_until"],
    }
    c[Column.RECEIVED_TOTAL] = (
        c[Column.RECEIVED_ONLINE] + c[Column.RECEIVED_DESK_POST] + c[Column.CARRIED_OVER]
    )
    c[Column.RESOLVED_TOTAL] = c[Column.EARLY] + c[Column.ON_TIME] + c[Column.LATE]
    c[Column.WITHIN_TIME] = c[Column.IN_PROGRESS_TOTAL] - c[Column.OVERDUE]
    c[Column.DIGITISED] = s1["digitised"] - s0["digitised"]
    c[Column.RESULT_ON_FILE] = s1["result_on_file"] - s0["result_on_file"]
    return {column: c[column] for column in Column}


def report(unit: Unit, period: Period, by: GroupBy, *, only: Q | None = None) -> Report:
    """Compute the report from the stored counters (one grouped query over a bounded number of
    counter rows per group, whatever the number of dossiers).

    `only` narrows the dossiers further (e.g. one channel) for charts; the counters do not
    know such narrowings, so those reports are counted from the rows.
    """
    if only is not None:
        return report_from_rows(unit, period, by, only=only)
    rows = []
    for key, label, counts in figure_rows(unit, period, by):
        if counts[Column.RECEIVED_TOTAL]:
            rows.append(Row(key=key, label=label, counts=counts))
    return _with_total(unit, period, by, rows)


def report_from_rows(unit: Unit, period: Period, by: GroupBy, *, only: Q | None = None) -> Report:
    """Compute the report with one grouped query over the dossier rows (conditional counts per
    column): the reference definition the counters must equal.

    `only` narrows the dossiers further (e.g. one channel) for charts.
    """
    key_field, label_field = _group_fields(by)
    aggregates = {c.value: Count("id", filter=column_condition(c, period)) for c in Column}
    scope = dossiers_of(unit).filter(column_condition(Column.RECEIVED_TOTAL, period))
    if only is not None:
        scope = scope.filter(only)
    rows = []
    grouped = scope.values(key_field, label_field).annotate(**aggregates)
    for values in grouped.order_by(key_field, label_field):
        rows.append(
            Row(
                key=str(values[key_field]),
                label=str(values[label_field]),
                counts={c: values[c.value] for c in Column},
            )
        )
    return _with_total(unit, period, by, rows)


def _with_total(unit: Unit, period: Period, by: GroupBy, rows: list[Row]) -> Report:
    total = Row(key="total", label=str(_("Total")), counts={c: 0 for c in Column})
    for row in rows:
        for c in Column:
            total.counts[c] += row.counts[c]
    return Report(unit=unit, period=period, by=by, rows=rows, total=total)


def cell(
    unit: Unit, period: Period, by: GroupBy, key: str | None, column: Column
) -> QuerySet[Dossier]:
    """Return the dossiers behind one cell (key None: the total row)."""
    qs = dossiers_of(unit).filter(column_condition(column, period))
    if key is not None:
        qs = qs.filter(**{_group_fields(by)[0]: key})
    return qs


def identities_hold(rows: Iterable[Row]) -> bool:
    """Check the form's identities on every row."""
    for r in rows:
        c = r.counts
        if c[Column.RECEIVED_TOTAL] != (
            c[Column.RECEIVED_ONLINE] + c[Column.RECEIVED_DESK_POST] + c[Column.CARRIED_OVER]
        ):
            return False
        if c[Column.RESOLVED_TOTAL] != c[Column.EARLY] + c[Column.ON_TIME] + c[Column.LATE]:
            return False
        if c[Column.IN_PROGRESS_TOTAL] != c[Column.WITHIN_TIME] + c[Column.OVERDUE]:
            return False
        if c[Column.RECEIVED_TOTAL] != c[Column.RESOLVED_TOTAL] + c[Column.IN_PROGRESS_TOTAL]:
            return False
    return True


@dataclass
class SatisfactionFigures:
    """Ratings of the dossiers finished in a period, for a unit and everything below it."""

    counts: dict[str, int]
    finished: int

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied_rate(self) -> Decimal | None:
        """(Very satisfied + satisfied) / rated, percent."""
        if not self.rated:
            return None
        good = self.counts.get("very_satisfied", 0) + self.counts.get("satisfied", 0)
        return _pct(good, self.rated)

    @property
    def dissatisfied_rate(self) -> Decimal | None:
        """Dissatisfied / finished dossiers, percent (a term of Decision 766 indicator 6)."""
        if not self.finished:
            return None
        return _pct(self.counts.get("dissatisfied", 0), self.finished)


def satisfaction(unit: Unit, period: Period, *, resolved: int | None = None) -> SatisfactionFigures:
    """Count the ratings of dossiers resolved in the period (two queries; one when the caller
    already has the period's resolved count, e.g. from the counters).

    A rating is taken once its dossier is finished (`stats.actions.rate`), so a dossier
    resolved in the period was rated at or after the period's start: that bound lets the
    database start from the recent ratings (index `rating_at`) instead of the dossiers.
    """
    finished = dossiers_of(unit).filter(column_condition(Column.RESOLVED_TOTAL, period))
    counts = dict(
        finished.filter(rating__at__gte=period.begins)
        .values_list("rating__value")
        .annotate(n=Count("id"))
        .values_list("rating__value", "n")
    )
    return SatisfactionFigures(
        counts=counts, finished=finished.count() if resolved is None else resolved
    )
