"""Flow counters behind the periodic report, kept incrementally (docs/adr/0004).

Every received, non-cancelled dossier contributes +1 to counters of its group (counted unit,
procedure) on local days, as a pure function of its row (`contribution`). The counted unit
is the competent unit, or the receiving unit with FIGURES_UNIT=receiving (`unit_field`,
ADR 22): one unit per dossier, so that received = resolved + in progress on every row.

- `received_online` / `received_desk_post` on the day of `received_at`;
- `finished_early` / `_on_time` / `_late` / `_unjudged` on the day of `finished_at`;
- `overdue_from` on the day the report starts judging it overdue while open
  (`dossiers.timeliness.overdue_from`, the rule of `timeliness.overdue_at` that the report's
  column and the desk's inbox use), and
  `overdue_until` on the later of that day and its finish day;
- `digitised` on the day of `received_at` if its `digitised` flag is set, and
  `result_on_file` on the day of `finished_at` if it is resolved (a verdict) with its
  `result_on_file` flag set (dossiers.digitization keeps the flags, ADR 16).

A report column for local days [start, end] is then a difference of prefix sums at the
instants T0 = start 00:00 and T1 = the day after end 00:00 (see `stats.report`). An instant
is before local midnight of day t exactly when its local day is before t, so day buckets
reproduce the row conditions exactly. Rows exist per day, month and year (`Grain`): a prefix
reads year rows, then month rows of its year, then day rows of its month.

Actions apply the difference between a dossier's contribution before and after, in their
transaction (`apply_change`); `rebuild` recomputes every row with grouped SQL; `verify`
compares the stored rows with that recount.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from catalog.models import Procedure
from dossiers import timeliness
from dossiers.models import Channel, Dossier, FigureCount, Grain, Punctuality, Status
from orgs.models import Unit

COUNTERS = (
    "received_online",
    "received_desk_post",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "finished_unjudged",
    "overdue_from",
    "overdue_until",
    "digitised",
    "result_on_file",
)
FINISHED_COUNTER = {
    Punctuality.EARLY: "finished_early",
    Punctuality.ON_TIME: "finished_on_time",
    Punctuality.LATE: "finished_late",
}

# (counted unit id, procedure id, local day, counter) -> change
Change = dict[tuple[int, int, date, str], int]
# (counted unit id, grain, bucket, procedure id) -> counter -> value
Rows = dict[tuple[int, str, date, int], dict[str, int]]


def unit_field() -> str:
    """Return the dossier field naming the unit the report counts a dossier in: the
    competent unit (default) or, with FIGURES_UNIT=receiving, the receiving unit (ADR 22).

    The stored counters follow the setting in force when they were written: after changing
    it, run `manage.py rebuild_figures`.
    """
    return "receiving_unit" if settings.FIGURES_UNIT == "receiving" else "competent_unit"


@dataclass(frozen=True)
class FigureFields:
    """The columns of a dossier row that its contribution depends on."""

    unit_id: int
    procedure_id: int
    channel: str
    status: str
    received_at: datetime | None
    finished_at: datetime | None
    punctuality: str | None
    due_at: datetime | None
    paused_at: datetime | None
    digitised: bool = False
    result_on_file: bool = False

    @classmethod
    def of(cls, d: Dossier) -> "FigureFields":
        """Read the fields of a dossier (its procedure version must be loaded or cheap)."""
        return cls(
            unit_id=getattr(d, f"{unit_field()}_id"),
            procedure_id=d.procedure_version.procedure_id,
            channel=d.channel,
            status=d.status,
            received_at=d.received_at,
            finished_at=d.finished_at,
            punctuality=d.punctuality,
            due_at=d.due_at,
            paused_at=d.paused_at,
            digitised=d.digitised,
            result_on_file=d.result_on_file,
        )

    @classmethod
    def from_values(cls, values: Mapping[str, Any], procedure_id: int) -> "FigureFields":
        """Read the fields from a dossier's column values keyed by attribute name."""
        return cls(
            unit_id=values[f"{unit_field()}_id"],
            procedure_id=procedure_id,
            channel=values["channel"],
            status=values["status"],
            received_at=values["received_at"],
            finished_at=values["finished_at"],
            punctuality=values["punctuality"],
            due_at=values["due_at"],
            paused_at=values["paused_at"],
            digitised=values["digitised"],
            result_on_file=values["result_on_file"],
        )


@cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(instant: datetime) -> date:
    """Return the local calendar day of an instant."""
    return instant.astimezone(_zone()).date()


def overdue_start(f: FigureFields) -> datetime | None:
    """Return the instant from which the report counts the open dossier as overdue, if any
    (`dossiers.timeliness.overdue_from`, the rule of the report's overdue column)."""
    return timeliness.overdue_from(f.received_at, f.due_at, f.paused_at)


def contribution(f: FigureFields) -> Counter[tuple[date, str]]:
    """Return the counters (local day, name) one dossier adds to its group."""
    out: Counter[tuple[date, str]] = Counter()
    if f.received_at is None or f.status == Status.CANCELLED:
        return out
    online = f.channel == Channel.ONLINE
    out[(local_day(f.received_at), "received_online" if online else "received_desk_post")] += 1
    if f.digitised:
        out[(local_day(f.received_at), "digitised")] += 1
    if f.finished_at is not None:
        name = FINISHED_COUNTER.get(f.punctuality or "", "finished_unjudged")  # type: ignore[call-overload]
        out[(local_day(f.finished_at), name)] += 1
        if f.result_on_file and f.punctuality is not None:
            out[(local_day(f.finished_at), "result_on_file")] += 1
    start = overdue_start(f)
    if start is not None:
        out[(local_day(start), "overdue_from")] += 1
        if f.finished_at is not None:
            out[(local_day(max(start, f.finished_at)), "overdue_until")] += 1
    return out


def change(before: FigureFields | None, after: FigureFields | None) -> Change:
    """Return the counter changes that turn `before`'s contribution into `after`'s."""
    net: dict[tuple[int, int, date, str], int] = defaultdict(int)
    for sign, f in ((-1, before), (1, after)):
        if f is None:
            continue
        for (day, name), n in contribution(f).items():
            net[(f.unit_id, f.procedure_id, day, name)] += sign * n
    return {k: v for k, v in net.items() if v}


def buckets(day: date) -> tuple[tuple[str, date], ...]:
    """Return the (grain, bucket) rows a day's counters are added to."""
    return (
        (Grain.DAY, day),
        (Grain.MONTH, day.replace(day=1)),
        (Grain.YEAR, day.replace(month=1, day=1)),
    )


def rows_of(changes: Change) -> Rows:
    """Spread per-day changes over day, month and year rows; drop rows that net to zero."""
    rows: Rows = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for (unit_id, procedure_id, day, name), n in changes.items():
        for grain, bucket in buckets(day):
            rows[(unit_id, grain, bucket, procedure_id)][name] += n
    return {k: v for k, v in rows.items() if any(v.values())}


def apply_change(changes: Change) -> None:
    """Add the changes to the stored rows (one upsert statement per 500 rows).

    Rows are written in key order, so two transactions touching the same rows lock them in
    the same order and cannot deadlock.
    """
    rows = rows_of(changes)
    if not rows:
        return
    table = FigureCount._meta.db_table
    columns = ", ".join(COUNTERS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    keys = sorted(rows)
    one = "(" + ", ".join(["%s"] * (4 + len(COUNTERS))) + ")"
    with connection.cursor() as cursor:
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            params: list[Any] = []
            for unit_id, grain, bucket, procedure_id in chunk:
                values = rows[(unit_id, grain, bucket, procedure_id)]
                params += [unit_id, grain, bucket, procedure_id]
                params += [values[c] for c in COUNTERS]
            cursor.execute(
                f"INSERT INTO {table} (competent_unit_id, grain, bucket, procedure_id, "  # noqa: S608
                f"{columns}) VALUES {', '.join([one] * len(chunk))} "
                "ON CONFLICT (competent_unit_id, grain, bucket, procedure_id) "
                f"DO UPDATE SET {updates}",
                params,
            )


def record(before: FigureFields | None, after: FigureFields | None) -> None:
    """Apply one dossier's change of contribution (no query when nothing changed)."""
    apply_change(change(before, after))


def record_new(dossiers: Iterable[FigureFields]) -> None:
    """Add the contributions of new dossiers, summed first (one upsert per 500 rows)."""
    net: dict[tuple[int, int, date, str], int] = defaultdict(int)
    for f in dossiers:
        for key, n in change(None, f).items():
            net[key] += n
    apply_change(net)


# --- recount from the dossier rows -----------------------------------------------------------


def _day_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{settings.TIME_ZONE}')::date"
    # SQLite stores UTC text; the zone has had a fixed offset since 1975 (+07:00). Its date
    # functions round to milliseconds (23:59:59.9999 would become the next day), so the
    # fraction is cut first: a day boundary falls on a whole second.
    offset = datetime(2000, 1, 1, tzinfo=_zone()).utcoffset()
    assert offset is not None
    return f"date(substr({column}, 1, 19), '{int(offset.total_seconds())} seconds')"


def _greatest(a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if connection.vendor == "postgresql" else f"MAX({a}, {b})"


def recount_sql(where: str = "") -> str:
    """Return the SELECT of day counters per group recomputed from the dossier rows.

    Columns: counted unit id, procedure_id, bucket, then `COUNTERS`; `where` narrows the
    dossiers (alias d), e.g. "d.competent_unit_id IN (…)" (`unit_field`).
    """
    dossiers = Dossier._meta.db_table
    versions = Dossier._meta.get_field("procedure_version").related_model._meta.db_table
    start = timeliness.overdue_from_sql("d", connection.vendor)
    base = (
        f"SELECT d.{unit_field()}_id AS u, v.procedure_id AS p, d.channel AS channel, "  # noqa: S608
        "d.received_at AS received_at, d.finished_at AS finished_at, "
        f"d.punctuality AS punctuality, {start} AS start, "
        "d.digitised AS digitised, d.result_on_file AS result_on_file "
        f"FROM {dossiers} d JOIN {versions} v ON v.id = d.procedure_version_id "
        f"WHERE d.received_at IS NOT NULL AND d.status <> '{Status.CANCELLED}'"
        + (f" AND ({where})" if where else "")
    )

    def branch(day: str, values: dict[str, str], condition: str) -> str:
        cols = ", ".join(f"{values.get(c, '0')} AS {c}" for c in COUNTERS)
        return f"SELECT u, p, {_day_sql(day)} AS bucket, {cols} FROM ({base}) b WHERE {condition}"  # noqa: S608

    online = f"'{Channel.ONLINE}'"
    finished = {
        name: f"CASE WHEN punctuality = '{p}' THEN 1 ELSE 0 END"
        for p, name in FINISHED_COUNTER.items()
    }
    finished["finished_unjudged"] = "CASE WHEN punctuality IS NULL THEN 1 ELSE 0 END"
    finished["result_on_file"] = (
        "CASE WHEN result_on_file AND punctuality IS NOT NULL THEN 1 ELSE 0 END"
    )
    parts = [
        branch(
            "received_at",
            {
                "received_online": f"CASE WHEN channel = {online} THEN 1 ELSE 0 END",
                "received_desk_post": f"CASE WHEN channel = {online} THEN 0 ELSE 1 END",
                "digitised": "CASE WHEN digitised THEN 1 ELSE 0 END",
            },
            "1 = 1",
        ),
        branch("finished_at", finished, "finished_at IS NOT NULL"),
        branch("start", {"overdue_from": "1"}, "start IS NOT NULL"),
        branch(
            _greatest("start", "finished_at"),
            {"overdue_until": "1"},
            "start IS NOT NULL AND finished_at IS NOT NULL",
        ),
    ]
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COUNTERS)
    union = " UNION ALL ".join(parts)
    return f"SELECT u, p, bucket, {sums} FROM ({union}) x GROUP BY u, p, bucket"  # noqa: S608


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def recount(unit_ids: Iterable[int] | None = None) -> Rows:
    """Recompute the day, month and year rows from the dossier rows (grouped SQL)."""
    where = ""
    if unit_ids is not None:
        ids = sorted({int(i) for i in unit_ids})
        where = f"d.{unit_field()}_id IN ({', '.join(map(str, ids or [0]))})"
    rows: Rows = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    with connection.cursor() as cursor:
        cursor.execute(recount_sql(where))
        for unit_id, procedure_id, bucket, *values in cursor.fetchall():
            for grain, b in buckets(_as_date(bucket)):
                row = rows[(unit_id, grain, b, procedure_id)]
                for name, value in zip(COUNTERS, values, strict=True):
                    row[name] += int(value)
    return {k: v for k, v in rows.items() if any(v.values())}


def stored(unit_ids: Iterable[int] | None = None) -> Rows:
    """Return the stored rows that are not all zero."""
    qs = FigureCount.objects.all()
    if unit_ids is not None:
        qs = qs.filter(competent_unit_id__in=list(unit_ids))
    out: Rows = {}
    for r in qs.values_list("competent_unit_id", "grain", "bucket", "procedure_id", *COUNTERS):
        values = dict(zip(COUNTERS, r[4:], strict=True))
        if any(values.values()):
            out[(r[0], r[1], r[2], r[3])] = values
    return out


@transaction.atomic
def rebuild(unit_ids: Iterable[int] | None = None) -> int:
    """Replace the stored rows (of some competent units, or all) by a recount; return rows.

    Day rows come from one grouped INSERT … SELECT over the dossiers, month and year rows
    from grouped INSERTs over the day rows. One transaction that first locks the counters
    against writers (PostgreSQL: EXCLUSIVE, readers go on; SQLite: the write lock taken at
    BEGIN), so an action running meanwhile applies its change on top of the recount.
    """
    table = FigureCount._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    ids = None if unit_ids is None else sorted({int(i) for i in unit_ids})
    where = "" if ids is None else f"d.{unit_field()}_id IN ({', '.join(map(str, ids or [0]))})"
    own = "" if ids is None else f" AND competent_unit_id IN ({', '.join(map(str, ids or [0]))})"
    qs = FigureCount.objects.all()
    if ids is not None:
        qs = qs.filter(competent_unit_id__in=ids)
    qs.delete()
    columns = ", ".join(COUNTERS)
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    if connection.vendor == "postgresql":
        month, year = "date_trunc('month', bucket)::date", "date_trunc('year', bucket)::date"
    else:
        month, year = "date(bucket, 'start of month')", "date(bucket, 'start of year')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (competent_unit_id, procedure_id, bucket, grain, {columns}) "  # noqa: S608
            f"SELECT u, p, bucket, '{Grain.DAY}', {columns} FROM ({recount_sql(where)}) r"
        )
        for grain, expression in ((Grain.MONTH, month), (Grain.YEAR, year)):
            cursor.execute(
                f"INSERT INTO {table} (competent_unit_id, procedure_id, bucket, grain, {columns}) "  # noqa: S608
                f"SELECT competent_unit_id, procedure_id, {expression}, '{grain}', {sums} "
                f"FROM {table} WHERE grain = '{Grain.DAY}'{own} "
                f"GROUP BY competent_unit_id, procedure_id, {expression}"
            )
    return FigureCount.objects.filter(
        **({} if ids is None else {"competent_unit_id__in": ids})
    ).count()


def differences(
    stored_rows: Mapping[Any, dict[str, int]], recounted: Mapping[Any, dict[str, int]]
) -> list[tuple[Any, str, int, int]]:
    """Return (key, counter, stored, recounted) for every counter that disagrees."""
    out = []
    zero = dict.fromkeys(COUNTERS, 0)
    for key in sorted(set(stored_rows) | set(recounted)):
        a, b = stored_rows.get(key, zero), recounted.get(key, zero)
        for name in COUNTERS:
            if a[name] != b[name]:
                out.append((key, name, a[name], b[name]))
    return out


def verify_counters(unit_ids: Iterable[int] | None = None) -> list[tuple[str, str]]:
    """Compare the stored counters with a recount; return (group, problem) per disagreement.

    The group is named "<unit code> <procedure code> <grain> <bucket>".
    """
    found = differences(stored(unit_ids), recount(unit_ids))
    if not found:
        return []
    units = dict(Unit.objects.values_list("id", "code"))
    procedures = dict(Procedure.objects.values_list("id", "code"))
    out = []
    for (unit_id, grain, bucket, procedure_id), name, have, want in found:
        group = f"{units.get(unit_id, unit_id)} {procedures.get(procedure_id, procedure_id)}"
        out.append(
            (f"{group} {grain} {bucket.isoformat()}", f"{name}: stored {have}, recount {want}")
        )
    return out


def forget_deleted_dossier(sender: Any, instance: Dossier, **kwargs: Any) -> None:
    """Take a deleted dossier's contribution out of the counters (post_delete receiver).

    Dossiers are never deleted by the lifecycle (cancel keeps the row), but an administrator or
    a test may delete rows: their contributions leave the counters in the same transaction.
    """
    record(FigureFields.of(instance), None)
