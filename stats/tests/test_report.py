"""The periodic report: the form's columns and identities, on a history made by the actions."""

from datetime import date
from decimal import Decimal

import pytest

from conftest import World
from dossiers import actions
from stats.report import Column, GroupBy, Period, cell, identities_hold, report
from testing.clock import vn
from testing.dossiers import finish, intake


def test_columns_on_a_known_history(world: World) -> None:
    # Carried over from February, finished early in March.
    old = intake(world, vn(2026, 2, 26, 9))
    finish(world, old, vn(2026, 3, 2, 9))
    # Received in March: one online finished on its due day, one late, one still open and
    # overdue at the end of March, one open within time.
    on_time = intake(world, vn(2026, 3, 9, 9), channel="2")
    finish(world, on_time, vn(2026, 3, 12, 16))
    late = intake(world, vn(2026, 3, 16, 9))
    finish(world, late, vn(2026, 3, 20, 9))
    intake(world, vn(2026, 3, 23, 9))
    intake(world, vn(2026, 3, 31, 9))
    # April: outside the period.
    intake(world, vn(2026, 4, 1, 9))

    r = report(world.province, Period(date(2026, 3, 1), date(2026, 3, 31)), GroupBy.UNIT)
    assert [row.key for row in r.rows] == ["30001"]
    c = r.total.counts
    assert c[Column.RECEIVED_ONLINE] == 1
    assert c[Column.RECEIVED_DESK_POST] == 3
    assert c[Column.CARRIED_OVER] == 1
    assert c[Column.RECEIVED_TOTAL] == 5
    assert (c[Column.EARLY], c[Column.ON_TIME], c[Column.LATE]) == (1, 1, 1)
    assert (c[Column.WITHIN_TIME], c[Column.OVERDUE]) == (1, 1)
    assert identities_hold([r.total, *r.rows])
    assert r.total.on_time_rate == Decimal("66.67")
    assert r.total.indicator_2_1 == Decimal("60.00")
    late_codes = set(
        cell(world.province, r.period, GroupBy.UNIT, "30001", Column.LATE).values_list(
            "code", flat=True
        )
    )
    assert late_codes == {late.code}


def test_stopped_dossier_counts_as_resolved(world: World) -> None:
    d = intake(world, vn(2026, 3, 2, 9))
    actions.stop(d, actor=world.desk_a, at=vn(2026, 3, 3, 9), reason="Người nộp rút hồ sơ")
    r = report(world.ward_a, Period(date(2026, 3, 1), date(2026, 3, 31)), GroupBy.PROCEDURE)
    assert r.total.counts[Column.RESOLVED_TOTAL] == 1
    assert identities_hold([r.total])


def test_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends before"):
        Period(date(2026, 3, 31), date(2026, 3, 1))
