"""The Decision 766/QĐ-TTg indicators that motcua's own data can compute.

The groups and their totals are confirmed; the split of points inside a group, the thresholds
and some formulas come from secondary material (DOMAIN.md §7) and are therefore data here, one
table, each row saying whether it is confirmed. Where a threshold T applies,
points = max if the rate R >= T, else R x max / T.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from catalog.models import ProcedureVersion
from dossiers import timeliness
from orgs.models import Unit
from payments.report import online_paid_share
from stats.report import Column, GroupBy, Period, cell, report, satisfaction
from workdays.calendars import calendar_for


@dataclass(frozen=True)
class Spec:
    code: str
    group: str
    name: object  # lazy translation
    formula: object
    max_points: Decimal | None  # None: monitored, no points
    threshold: Decimal | None  # percent at which the full points are reached
    confirmed: bool


@dataclass
class Result:
    spec: Spec
    value: Decimal | None  # percent, or a quantity for monitoring indicators
    unit_label: str
    points: Decimal | None
    computable: bool
    note: str = ""


def _d(value: str) -> Decimal:
    return Decimal(value)


SPECS = [
    Spec(
        "1",
        "1",
        _("Transparency (procedures published on time, dossiers synced to the national portal)"),
        _("Needs the national database and portal"),
        _d("18"),
        None,
        True,
    ),
    Spec(
        "2.1",
        "2",
        _("Dossiers resolved on time (indicator 2.1)"),
        _("(resolved by the due instant + in progress within time) / received x 100"),
        _d("16"),
        _d("100"),
        False,
    ),
    Spec(
        "2.2",
        "2",
        _("Average processing time (working days, monitoring)"),
        _("mean working time from receipt to the end of processing of the dossiers resolved"),
        None,
        None,
        False,
    ),
    Spec(
        "3.1",
        "3",
        _("Procedures offered online"),
        _("procedures in force allowing online filing / procedures in force x 100"),
        _d("6"),
        _d("100"),
        False,
    ),
    Spec(
        "3.2",
        "3",
        _("Dossiers filed online"),
        _("dossiers received online / dossiers received in the period x 100"),
        _d("6"),
        _d("50"),
        False,
    ),
    Spec(
        "4",
        "4",
        _("Online payment"),
        _(
            "fee-bearing dossiers whose fees were paid online / fee-bearing dossiers paid "
            "in the period x 100"
        ),
        _d("10"),
        _d("100"),
        False,
    ),
    # Group 5 (22 points, confirmed); the split inside it and the thresholds are not.
    Spec(
        "5.1",
        "5",
        _("Dossiers with an electronic result"),
        _("dossiers resolved with the result on file (signed or scanned) / resolved x 100"),
        _d("6"),
        _d("80"),
        False,
    ),
    Spec(
        "5.2",
        "5",
        _("Dossiers and results digitised"),
        _(
            "(dossiers received with every required document on file + dossiers resolved with "
            "the result on file) / (received in the period + resolved) x 100"
        ),
        _d("8"),
        _d("80"),
        False,
    ),
    Spec(
        "5.3",
        "5",
        _("Reuse of digitised data"),
        _("Needs records of documents reused from the document wallet (not yet in motcua)"),
        _d("4"),
        None,
        False,
    ),
    Spec(
        "5.4",
        "5",
        _("Links to the national population database"),
        _("Needs the national population database (not connected)"),
        _d("4"),
        None,
        False,
    ),
    Spec(
        "6.3",
        "6",
        _("Satisfaction with dossier handling"),
        _(
            "100 - (overdue rate + rate of dossiers rated dissatisfied); "
            "overdue rate = (resolved late + in progress overdue) / received"
        ),
        _d("6"),
        _d("90"),
        False,
    ),
    Spec(
        "6.1-6.2",
        "6",
        _("Complaints handled on time, satisfaction with their handling"),
        _("Needs the complaints register (not yet in motcua)"),
        _d("12"),
        None,
        True,
    ),
]


def _points(spec: Spec, rate: Decimal | None) -> Decimal | None:
    if spec.max_points is None or rate is None or spec.threshold is None:
        return None
    if rate >= spec.threshold:
        return spec.max_points
    return (rate * spec.max_points / spec.threshold).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def compute(unit: Unit, period: Period) -> list[Result]:
    """Compute every indicator motcua can for a unit and period; say which it cannot."""
    r = report(unit, period, GroupBy.UNIT)
    c = r.total.counts
    received = c[Column.RECEIVED_TOTAL]
    online_received = c[Column.RECEIVED_ONLINE]
    in_period = online_received + c[Column.RECEIVED_DESK_POST]
    versions = list(ProcedureVersion.objects.published())
    online_procedures = sum(1 for v in versions if v.allows_online_full or v.allows_online_partial)
    sat = satisfaction(unit, period)
    overdue = c[Column.LATE] + c[Column.OVERDUE]
    dissatisfied = sat.counts.get("dissatisfied", 0)
    satisfaction_rate = None
    if received:
        bad = Decimal(100 * (overdue + dissatisfied)) / Decimal(received)
        satisfaction_rate = max(Decimal(0), Decimal(100) - bad).quantize(Decimal("0.01"))
    values: dict[str, tuple[Decimal | None, str]] = {
        "2.1": (r.total.indicator_2_1, "%"),
        "2.2": (_average_days(unit, period), str(_("working days"))),
        "3.1": (_pct(online_procedures, len(versions)), "%"),
        "3.2": (_pct(online_received, in_period), "%"),
        "6.3": (satisfaction_rate, "%"),
        "5.1": (r.total.result_on_file_rate, "%"),
        "5.2": (
            _pct(
                c[Column.DIGITISED] + c[Column.RESULT_ON_FILE], in_period + c[Column.RESOLVED_TOTAL]
            ),
            "%",
        ),
        "4": (_pct(*online_paid_share(unit, period.begins, period.ends)), "%"),
    }
    results = []
    for spec in SPECS:
        if spec.code in values:
            value, label = values[spec.code]
            points = _points(spec, value) if label == "%" else None
            results.append(Result(spec, value, label, points, True))
        else:
            results.append(Result(spec, None, "", None, False))
    return results


def _average_days(unit: Unit, period: Period) -> Decimal | None:
    """Mean working days from receipt to the end of processing, over the dossiers resolved."""
    rows = list(
        cell(unit, period, GroupBy.UNIT, None, Column.RESOLVED_TOTAL).values_list(
            # Each dossier's working days in the calendar it is counted in.
            "received_at",
            "finished_at",
            f"{timeliness.CALENDAR_UNIT_FIELD}_id",
        )
    )
    if not rows:
        return None
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r[2] for r in rows})}
    total = Decimal(0)
    for received, finished, unit_id in rows:
        assert received is not None and finished is not None  # the resolved column needs both
        cal = calendar_for(units[unit_id])
        total += Decimal(cal.between(received, finished).total_seconds()) / Decimal(
            cal.seconds_per_day
        )
    return (total / len(rows)).quantize(Decimal("0.01"), ROUND_HALF_UP)
