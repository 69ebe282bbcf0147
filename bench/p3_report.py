"""P3: the periodic report (form 06) from the counters against the row GROUP BY, as history grows.

For each engine (SQLite, then PostgreSQL when reachable) a child process makes a fresh database,
seeds the demo province, then grows the dossier history in steps (`BENCH_P3_SQLITE_SIZES`,
`BENCH_P3_PG_SIZES`). Each step bulk-loads dossiers directly (COPY on PostgreSQL, executemany
in 50,000-row batches on SQLite; `load`), rebuilds the counters (`dossiers.figures.rebuild`), and
times `stats.report.report` (the counters) against `report_from_rows` (one grouped query over
the dossier rows) on the same periods, checking that both give the same rows. Figures are the
best of several runs, in milliseconds. Goal: <= 50 ms at 10 M dossiers on PostgreSQL.

The loaded rows have the fields the actions would give them (status, received, due from the
unit's working calendar, finished, returned, punctuality classified by the same calendar,
pauses for supplements, stops and cancellations), spread over the demo units in force on each
day (pre-2025 units before 1 July 2025) and the demo procedures, 2022 to mid-2026. Events,
steps and outbox rows are not written: the report does not read them.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import benchmark, fresh_pg_database, report

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "motcua_bench_p3"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_DAY = date(2022, 1, 1)
END = datetime(2026, 6, 30, 17, tzinfo=VN)  # the loaded history's "now"
MERGER = date(2025, 7, 1)

COLUMNS = [
    "code",
    "procedure_version_id",
    "receiving_unit_id",
    "competent_unit_id",
    "channel",
    "status",
    "outcome",
    "applicant_kind",
    "applicant_name",
    "applicant_name_folded",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "documents",
    "sets_count",
    "public_secret",
    "submitted_at",
    "received_at",
    "due_at",
    "paused_at",
    "finished_at",
    "returned_at",
    "punctuality",
    "supplement_count",
    "reappointed",
    "version",
    "last_event_hash",
    "event_count",
    # Text columns added since, without a database default: empty, as a new dossier has them.
    "result_number",
    "result_symbol",
    "return_method",
    "collector_name",
    "collector_id_number",
]


class Shape:
    """The demo units and procedures, with each unit's calendar, to draw dossiers from."""

    def __init__(self) -> None:
        from catalog.models import ProcedureVersion
        from orgs.models import ONE_STOP_DESK, Unit
        from workdays.calendars import calendar_for

        versions = list(ProcedureVersion.objects.published().select_related("procedure"))
        self.commune = [v for v in versions if v.level == "commune"]
        self.province = [v for v in versions if v.level == "province"]
        current = list(Unit.objects.filter(valid_until__isnull=True, is_demo=True))
        current = [u for u in current if u.agencies.filter(kind__code=ONE_STOP_DESK).exists()]
        before = list(Unit.objects.filter(valid_until__isnull=False, is_demo=True))
        self.eras: dict[bool, list[Any]] = {True: current, False: before}
        self.calendar = {u.pk: calendar_for(u) for u in current + before}
        self.root = {u.pk: int(u.path.strip("/").split("/")[0]) for u in current + before}
        self.days = {
            u.pk: [
                d
                for d in (
                    FIRST_DAY + timedelta(days=i) for i in range((END.date() - FIRST_DAY).days)
                )
                if (d >= MERGER) == (u.valid_until is None)
                and self.calendar[u.pk].is_working_day(d)
            ]
            for u in current + before
        }
        self.units = [u for u in current + before if self.days[u.pk]]


def _row(rng: random.Random, shape: Shape, code: str) -> tuple[Any, ...]:
    """Draw one dossier the way the actions would have left it at END."""
    from dossiers.models import Channel, Status

    unit = rng.choice(shape.units)
    cal = shape.calendar[unit.pk]
    pool = shape.province if unit.parent_id is None else shape.commune
    version = rng.choice(pool)
    competent_id = shape.root[unit.pk] if version.level == "province" else unit.pk
    day = rng.choice(shape.days[unit.pk])
    local = datetime(
        day.year, day.month, day.day, rng.randint(7, 16), rng.randint(0, 59), tzinfo=VN
    )
    roll = rng.random()
    channel = Channel.ONLINE if roll < 0.35 else Channel.POST if roll < 0.42 else Channel.DESK
    received: datetime | None = local
    status, outcome, punctuality = Status.IN_PROGRESS, "", None
    due: datetime | None = cal.due(local, version.limit)
    assert due is not None
    paused = finished = returned = None
    supplements = 0
    roll = rng.random()
    if roll < 0.03:
        # One supplement: paused during appraisal, the clock resumed where it stopped.
        supplements = 1
        asked = local + (due - local) * rng.uniform(0.1, 0.6)
        answered = asked + timedelta(hours=rng.uniform(4, 120))
        if answered >= END:
            paused, status = asked, Status.SUPPLEMENT_REQUESTED
        else:
            due = cal.resume(due, asked, answered, version.limit)
    if status == Status.IN_PROGRESS:
        late = rng.random() < 0.006
        if late:
            finished = due + timedelta(hours=rng.uniform(1, 120))
        else:
            finished = local + (due - local) * rng.uniform(0.2, 1.0)
        if finished >= END:
            finished = None
        elif rng.random() < 0.004:
            status = Status.STOPPED
        elif rng.random() < 0.002:
            status, finished = Status.CANCELLED, None
        else:
            outcome = "granted" if rng.random() > 0.01 else "denied"
            back = finished + timedelta(hours=rng.uniform(0.5, 30))
            status, returned = (
                (Status.RETURNED, back) if back < END else (Status.RESULT_READY, None)
            )
        if finished is not None:
            punctuality = cal.classify_finished(finished, due)
    if channel == Channel.ONLINE and local > END - timedelta(days=2) and rng.random() < 0.3:
        # Filed online, not yet received by the desk.
        received = due = finished = returned = punctuality = None
        status, outcome = Status.SUBMITTED, ""
    return (
        code,
        version.pk,
        unit.pk,
        competent_id,
        str(channel),
        str(status),
        outcome,
        "person",
        "Nguyễn Văn Bench",
        "nguyen van bench",
        "087095000123",
        "",
        "0912345678",
        "",
        "[]",
        1,
        "000000",
        local,
        received,
        due,
        paused,
        finished,
        returned,
        punctuality,
        supplements,
        False,
        1,
        "",
        0,
        "",
        "",
        "",
        "",
        "",
    )


def rows(n: int, *, seed: int, prefix: str, shape: Shape) -> Iterator[tuple[Any, ...]]:
    """Yield `n` dossier rows (no query: COPY holds the connection meanwhile)."""
    rng = random.Random(seed)
    for i in range(n):
        yield _row(rng, shape, f"{prefix}-{i:09d}")


def load(n: int, *, seed: int, prefix: str) -> None:
    """Write `n` dossiers directly: COPY on PostgreSQL, executemany batches on SQLite."""
    from django.db import connection, transaction

    from dossiers.models import Dossier

    table = Dossier._meta.db_table
    shape = Shape()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows(n, seed=seed, prefix=prefix, shape=shape):
                        copy.write_row(row)
            return
        sql = (
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) "  # noqa: S608 - constant names
            f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
        )
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for row in rows(n, seed=seed, prefix=prefix, shape=shape):
                batch.append(tuple(_sqlite(v) for v in row))
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def _sqlite(value: Any) -> Any:
    # What Django writes for an aware instant on SQLite: naive UTC text.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value


def cases() -> list[tuple[str, Any, Any, Any]]:
    """Return (name, unit, period, group-by) of the timed reports."""
    from orgs.models import Unit
    from stats.report import GroupBy, Period

    ward = Unit.objects.get(code="29954", valid_until__isnull=True)
    city = Unit.objects.get(code="868")
    province = Unit.objects.get(code="82")
    return [
        ("ward_month", ward, Period(date(2026, 3, 1), date(2026, 3, 31)), GroupBy.PROCEDURE),
        ("city_half_year", city, Period(date(2025, 1, 1), date(2025, 6, 30)), GroupBy.UNIT),
        (
            "province_year_by_unit",
            province,
            Period(date(2026, 1, 1), date(2026, 12, 31)),
            GroupBy.UNIT,
        ),
        (
            "province_year_by_field",
            province,
            Period(date(2026, 1, 1), date(2026, 12, 31)),
            GroupBy.FIELD,
        ),
        # Not aligned on months: reads day rows at both ends.
        (
            "province_odd_span_by_field",
            province,
            Period(date(2025, 8, 13), date(2026, 5, 20)),
            GroupBy.FIELD,
        ),
    ]


def _best_ms(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best, result


def measure(sizes: list[int]) -> list[dict[str, Any]]:
    """Grow the history to each size, rebuild the counters, time both reports."""
    from django.db import connection

    from dossiers.figures import rebuild
    from dossiers.models import Dossier, FigureCount
    from stats.report import Column, report_from_rows
    from stats.report import report as from_counters

    out: list[dict[str, Any]] = []
    have = 0
    for step, size in enumerate(sizes):
        start = time.perf_counter()
        load(size - have, seed=2026 + step, prefix=f"P3{step}")
        loaded = time.perf_counter() - start
        have = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        start = time.perf_counter()
        rebuild()
        rebuilt = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counters = FigureCount.objects.count()
        result: dict[str, Any] = {
            "size": Dossier.objects.count(),
            "load_s": loaded,
            "rebuild_s": rebuilt,
            "counter_rows": counters,
            "cases": {},
        }
        for name, unit, period, by in cases():
            fast_ms, fast = _best_ms(partial(from_counters, unit, period, by), 7)
            slow_ms, slow = _best_ms(partial(report_from_rows, unit, period, by), 3)
            same = [r.as_dict() for r in fast.rows] == [r.as_dict() for r in slow.rows]
            result["cases"][name] = {
                "ms": fast_ms,
                "baseline_ms": slow_ms,
                "same": same,
                "rows": len(fast.rows),
                "received": fast.total.counts[Column.RECEIVED_TOTAL],
            }
        out.append(result)
        print("P3=" + json.dumps(result), flush=True)
    return out


CHILD = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo", quiet_logins=True, verbosity=0)
from bench.p3_report import measure
measure([int(s) for s in sys.argv[1].split(",")])
"""


def _engine(label: str, database_url: str, sizes: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, sizes],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if not line.startswith("P3="):
            continue
        result = json.loads(line[3:])
        size = result["size"]
        tag = f"p3.{label}.{_short(size)}"
        print(
            f"{tag}: {size:,} dossiers loaded in {result['load_s']:.0f} s, counters rebuilt in "
            f"{result['rebuild_s']:.1f} s ({result['counter_rows']:,} rows)",
            flush=True,
        )
        for name, c in result["cases"].items():
            report(
                f"{tag}.{name}",
                c["ms"],
                "ms",
                baseline=c["baseline_ms"],
                note=f"{c['baseline_ms'] / c['ms']:,.0f} times faster; "
                f"{c['rows']} rows, {c['received']:,} received; "
                + ("same rows as the GROUP BY" if c["same"] else "DIFFERENT FROM THE GROUP BY")
                + ("; goal <= 50 ms at 10 M" if label == "postgresql" else ""),
            )
    if proc.wait() != 0:
        raise RuntimeError(f"p3 {label} failed")


def _short(n: int) -> str:
    return f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n / 1e3:g}k"


@benchmark("p3")
def p3_report() -> None:
    """Time the report from counters against the row GROUP BY at growing history sizes."""
    sqlite_sizes = os.environ.get("BENCH_P3_SQLITE_SIZES", "30000,100000")
    pg_sizes = os.environ.get("BENCH_P3_PG_SIZES", "30000,100000")
    if sqlite_sizes:
        with tempfile.TemporaryDirectory() as tmp:
            _engine("sqlite", f"sqlite:///{Path(tmp) / 'p3.sqlite3'}", sqlite_sizes)
    url = fresh_pg_database(PG_ADMIN_URL, PG_BENCH_DB, "p3.postgresql") if pg_sizes else None
    if url is not None:
        _engine("postgresql", url, pg_sizes)
