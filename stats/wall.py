"""The wall's dossier tiles and its ranking of units (ADR 29).

Every figure reads a definition that exists elsewhere: intake, resolved and the on-time rate
come from the periodic report's counters (the day rows of today and of the month so far,
`stats.report.day_flows` / `flows_by_unit`, equal to the report's columns; the rate is
`Row.on_time_rate`); due soon and overdue are `Dossier.objects.due_soon` / `overdue`
(dossiers.timeliness), counted per unit like `ioc/at_risk.py`; satisfaction is
`stats.report.satisfaction` (the per-dossier rating).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from dossiers.figures import unit_field
from dossiers.models import Dossier
from lib.wall import Figure, Tile, WallScope
from orgs.models import Unit
from stats.report import FLOW_COLUMNS, Column, Period, Row, day_flows, flows_by_unit, satisfaction


def month(scope: WallScope) -> Period:
    return Period(scope.today.replace(day=1), scope.today)


def month_rows(scope: WallScope) -> list[Row]:
    """The month's flows so far by unit (`stats.report.flows_by_unit`), read once per
    snapshot; the ranking reads the rows, the tiles their total."""
    if "month" not in scope.memo:
        scope.memo["month"] = flows_by_unit(scope.unit, month(scope))
    rows: list[Row] = scope.memo["month"]
    return rows


def month_total(scope: WallScope) -> dict[Column, int]:
    total = dict.fromkeys(FLOW_COLUMNS, 0)
    for row in month_rows(scope):
        for column in FLOW_COLUMNS:
            total[column] += row.counts[column]
    return total


def day_counts(scope: WallScope) -> dict[Column, int]:
    """Today's flows (received, resolved...), read once per snapshot."""
    if "today" not in scope.memo:
        scope.memo["today"] = day_flows(scope.unit, scope.today)
    counts: dict[Column, int] = scope.memo["today"]
    return counts


def _per_unit(qs: Any, scope: WallScope) -> dict[int, int]:
    field = f"{unit_field()}_id"
    rows = qs.filter(**{f"{field}__in": scope.unit_ids}).order_by().values(field)
    return {r[field]: r["n"] for r in rows.annotate(n=Count("pk"))}


def at_risk(scope: WallScope) -> tuple[dict[int, int], dict[int, int]]:
    """Dossiers due soon and overdue now, per unit of the subtree (two grouped queries)."""
    if "at_risk" not in scope.memo:
        scope.memo["at_risk"] = (
            _per_unit(Dossier.objects.due_soon(scope.at), scope),
            _per_unit(Dossier.objects.overdue(scope.at), scope),
        )
    result: tuple[dict[int, int], dict[int, int]] = scope.memo["at_risk"]
    return result


def intake_tile(scope: WallScope) -> Tile:
    """Dossiers received today and this month, by channel (form 06's split)."""
    day, mon = day_counts(scope), month_total(scope)
    return Tile(
        key="intake",
        title=_("Received"),
        figures=[
            Figure(_("Today, online"), day[Column.RECEIVED_ONLINE]),
            Figure(_("Today, at the desk or by post"), day[Column.RECEIVED_DESK_POST]),
            Figure(_("This month, online"), mon[Column.RECEIVED_ONLINE]),
            Figure(_("This month, at the desk or by post"), mon[Column.RECEIVED_DESK_POST]),
        ],
    )


def resolved_tile(scope: WallScope) -> Tile:
    """Dossiers resolved today and this month, and this month's on-time rate."""
    day = day_counts(scope)
    mon = Row(key="total", label="", counts=month_total(scope))
    return Tile(
        key="resolved",
        title=_("Resolved"),
        figures=[
            Figure(_("Today"), day[Column.RESOLVED_TOTAL]),
            Figure(_("This month"), mon.counts[Column.RESOLVED_TOTAL]),
            Figure(_("On time this month"), mon.on_time_rate, "%"),
            Figure(_("Target"), Decimal(settings.ON_TIME_TARGET), "%"),
        ],
        note=_("On-time rate = (early + on time) / resolved."),
    )


def at_risk_tile(scope: WallScope) -> Tile:
    """Open dossiers due soon and overdue at this instant."""
    soon, late = at_risk(scope)
    overdue = sum(late.values())
    return Tile(
        key="at_risk",
        title=_("At risk now"),
        figures=[
            Figure(_("Due soon"), sum(soon.values()), href="/ioc/at-risk/"),
            Figure(_("Overdue"), overdue, href="/ioc/at-risk/", alert=overdue > 0),
        ],
    )


def satisfaction_tile(scope: WallScope) -> Tile:
    """Ratings of the dossiers resolved this month."""
    resolved = month_total(scope)[Column.RESOLVED_TOTAL]
    figures = satisfaction(scope.unit, month(scope), resolved=resolved)
    return Tile(
        key="satisfaction",
        title=_("Satisfaction this month"),
        figures=[
            Figure(_("Satisfied"), figures.satisfied_rate, "%"),
            Figure(_("Ratings"), figures.rated),
        ],
        note=_("Share of the ratings given that are satisfied or very satisfied."),
    )


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    code: str
    name: str
    received: int
    resolved: int
    on_time_rate: Decimal | None
    due_soon: int
    overdue: int


def ranking(scope: WallScope) -> list[RankedUnit]:
    """Rank the units of the subtree with dossiers this month: best on-time rate first (units
    with nothing resolved last), fewer overdue first on a tie."""
    soon, late = at_risk(scope)
    named = Unit.objects.filter(pk__in=set(soon) | set(late)).values_list("pk", "code", "name")
    codes = {pk: code for pk, code, _name in named}
    soon_by_code = {codes[pk]: n for pk, n in soon.items()}
    late_by_code = {codes[pk]: n for pk, n in late.items()}
    flows = month_rows(scope)
    # A unit with nothing received or resolved this month may still hold dossiers at risk.
    seen = {row.key for row in flows}
    quiet = [
        Row(key=code, label=name, counts=dict.fromkeys(FLOW_COLUMNS, 0))
        for _pk, code, name in named
        if code not in seen
    ]
    rows = [
        (row, soon_by_code.get(row.key, 0), late_by_code.get(row.key, 0))
        for row in [*flows, *quiet]
    ]

    def order(item: tuple[Row, int, int]) -> tuple[bool, Decimal, int, str]:
        row, _soon, overdue = item
        rate = row.on_time_rate
        return (rate is None, -(rate or Decimal(0)), overdue, row.label)

    return [
        RankedUnit(
            rank=i,
            code=row.key,
            name=row.label,
            received=row.counts[Column.RECEIVED_ONLINE] + row.counts[Column.RECEIVED_DESK_POST],
            resolved=row.counts[Column.RESOLVED_TOTAL],
            on_time_rate=row.on_time_rate,
            due_soon=s,
            overdue=o,
        )
        for i, (row, s, o) in enumerate(sorted(rows, key=order), start=1)
    ]
