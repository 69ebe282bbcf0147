"""A demo province's generated history, made once per test process by the real actions: its
chains and figures verify, its counters equal a recount, its report keeps the form's identities,
and a history export imported back counts the same.

Generating the history costs most of these tests' time (many actions, each its own queries), so
one module-scoped transaction holds it and each test runs in a savepoint inside it, rolled back
after the test; the outer transaction is rolled back when the module ends.
"""

from collections.abc import Iterator
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import translation
from pytest_django import DjangoDbBlocker

from dossiers import actions, figures
from dossiers.demo import generate
from dossiers.importer import history_rows, read_history, write_csv, write_history
from dossiers.models import Dossier, DossierEvent, FigureCount, Status
from dossiers.replay import verify
from orgs.models import Unit
from payments.demo import pay_at_desk
from stats.report import (
    Column,
    GroupBy,
    Period,
    cell,
    identities_hold,
    report,
    report_from_rows,
)
from testing.caches import forget_process_caches
from testing.clock import vn

# One worker runs them all, so the history is generated once per run (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("generated_history")

END = vn(2026, 4, 30, 17)

PERIODS_OF_A_HISTORY = [
    Period(date(2026, 3, 1), date(2026, 3, 31)),
    Period(date(2026, 2, 17), date(2026, 3, 9)),
    Period(date(2026, 1, 1), date(2026, 12, 31)),
    Period(date(2026, 3, 31), date(2026, 3, 31)),
    Period(date(2026, 4, 28), date(2026, 4, 28)),
]


class _Rollback(Exception):
    """Leaves the module's transaction without committing it."""


@pytest.fixture(scope="module")
def history(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[int]:
    """Seed the demo province and generate ~2.5 months of dossiers; yield how many were filed."""
    forget_process_caches()  # the previous test's ids are stale now
    # Module scope comes before the per-test fast hasher: the demo's accounts need it too.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        try:
            with transaction.atomic():
                call_command("seed_demo", quiet_logins=True, verbosity=0)
                yield generate(end=END, days=75, per_unit_day=0.3, before_return=pay_at_desk)
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def province(history: int, db: None) -> Unit:
    unit = Unit.objects.by_code("82")
    assert unit is not None
    return unit


def same_report(unit: Unit, period: Period, by: GroupBy) -> None:
    fast, slow = report(unit, period, by), report_from_rows(unit, period, by)
    assert [r.as_dict() for r in fast.rows] == [r.as_dict() for r in slow.rows], (period, by)
    assert fast.total.as_dict() == slow.total.as_dict()


def counters_match() -> None:
    assert figures.differences(figures.stored(), figures.recount()) == []


def import_back_with_prefix(prefix: str) -> None:
    rows = history_rows(Dossier.objects.all())
    for row in rows:
        row["code"] = prefix + row["code"]
    parsed = read_history(write_csv(rows), "h.csv")
    assert parsed.errors == []
    write_history(parsed.planned)


def test_history_goes_through_the_actions(history: int, province: Unit) -> None:
    assert history == Dossier.objects.count() > 100
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.RETURNED, Status.IN_PROGRESS} <= statuses
    for dossier in Dossier.objects.all():
        assert dossier.event_count == dossier.events.count() >= 1
        assert actions.verify_chain(dossier)
    assert Dossier.objects.late().count() <= max(1, history // 100)


def test_generated_and_imported_history_verify(province: Unit) -> None:
    assert verify(Dossier.objects.all()) == []
    import_back_with_prefix("CU-")
    assert verify(Dossier.objects.filter(code__startswith="CU-")) == []
    call_command("verify_figures", verbosity=0)


def test_a_tampered_figure_is_found(province: Unit) -> None:
    d = Dossier.objects.filter(punctuality="early").order_by("pk").first()
    assert d is not None
    Dossier.objects.filter(pk=d.pk).update(punctuality="on_time")
    problems = verify(Dossier.objects.all())
    assert problems == [(d.code, "punctuality: stored 'on_time', events say 'early'")]
    with pytest.raises(CommandError, match="1 sai lệch"):
        call_command("verify_figures", verbosity=0)


def test_identities_hold_on_every_row(province: Unit) -> None:
    for by in GroupBy:
        for period in [
            Period(date(2026, 3, 1), date(2026, 3, 31)),
            Period(date(2026, 2, 16), date(2026, 4, 30)),
            Period(date(2026, 4, 28), date(2026, 4, 28)),
        ]:
            r = report(province, period, by)
            assert r.rows, (by, period)
            assert identities_hold([r.total, *r.rows]), (by, period)
            # Every cell drills down to exactly the dossiers it counts.
            row = r.rows[0]
            for column in (Column.CARRIED_OVER, Column.ON_TIME, Column.WITHIN_TIME):
                assert cell(province, period, by, row.key, column).count() == row.counts[column]


def test_imported_history_keeps_the_counters(province: Unit) -> None:
    counters_match()
    import_back_with_prefix("CU-")
    counters_match()
    for period in PERIODS_OF_A_HISTORY:
        for by in GroupBy:
            same_report(province, period, by)


def test_imported_history_gives_the_same_figures_as_the_actions(province: Unit) -> None:
    periods = [
        Period(date(2026, 3, 1), date(2026, 3, 31)),
        Period(date(2026, 2, 20), date(2026, 3, 10)),
    ]
    before = {(p, by): report(province, p, by) for p in periods for by in GroupBy}
    content = write_csv(history_rows(Dossier.objects.all()))
    DossierEvent.objects.all().delete()
    Dossier.objects.all().delete()
    parsed = read_history(content, "history.csv")
    assert parsed.errors == []
    write_history(parsed.planned)
    for (p, by), expected in before.items():
        got = report(province, p, by)
        assert [r.as_dict() for r in got.rows] == [r.as_dict() for r in expected.rows], (p, by)


def test_rebuild_gives_the_rows_the_actions_kept(province: Unit) -> None:
    kept = figures.stored()
    assert kept
    call_command("rebuild_figures", verbosity=0)
    assert figures.stored() == kept
    ward = Unit.objects.by_code("29954")
    assert ward is not None
    FigureCount.objects.all().delete()
    figures.rebuild([ward.pk])
    assert figures.stored() == {k: v for k, v in kept.items() if k[0] == ward.pk}


def test_verify_figures_names_a_corrupted_counter(province: Unit) -> None:
    call_command("verify_figures", verbosity=0)
    row = FigureCount.objects.filter(grain="d", received_desk_post__gt=0).order_by("pk").first()
    assert row is not None
    FigureCount.objects.filter(pk=row.pk).update(received_desk_post=F("received_desk_post") + 1)
    problems = figures.verify_counters()
    unit_code = Unit.objects.get(pk=row.competent_unit_id).code
    group = f"{unit_code} {row.procedure.code} d {row.bucket.isoformat()}"
    n = row.received_desk_post
    assert problems == [(group, f"received_desk_post: stored {n + 1}, recount {n}")]
    with translation.override("en"), pytest.raises(CommandError, match="1 report counters"):
        call_command("verify_figures", verbosity=0)
