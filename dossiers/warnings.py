"""Early warnings before a step's deadline, escalation of overdue steps, the leaders' digest.

The warning scan (periodic task "warn-steps", ADR 18) walks the open steps of the dossiers
whose clock runs (`Dossier.objects.running()`: a dossier waiting for a supplement is never
warned) in set-based queries:

- a step due within WARN_DUE_WITHIN_HOURS working hours (the `timeliness.due_within` window
  of the desk's *due soon*, counted in the dossier's calendar) warns the holders of the step's
  role in its agency (its assignee alone, when a leader named one) and the leaders of its
  unit, once per step and threshold;
- an overdue step is escalated once to the leaders of the unit above (the parent unit's,
  or the unit's own when it has no parent or the parent has no leader).

Each warning is one `StepWarning` row inserted by one INSERT ... SELECT ... ON CONFLICT DO
NOTHING RETURNING: the unique (step, kind, threshold) constraint decides which of two
concurrent scans writes it, and only the rows returned get their `OutboxMessage` rows, in the
same transaction. The digest task writes, once per local working day and unit, a `digest`
message to each leader: the unit's dossiers due soon, overdue and warned in the last day.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.db.models import DateTimeField, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from dossiers import timeliness
from dossiers.models import (
    Dossier,
    DossierStep,
    LeaderDigest,
    OutboxMessage,
    Status,
    StepWarning,
    WarningKind,
)
from orgs.models import Role, StaffRole, Unit
from workdays.calendars import calendar_for

logger = logging.getLogger(__name__)

# The digest lists at most this many dossiers of each kind; the counts are always whole.
DIGEST_LIST_LIMIT = 50
DIGEST = "digest"
# A scan that writes this many warnings refreshes the table's planner statistics.
REFRESH_STATISTICS_AFTER = 500
_COLUMNS = (
    "step_id",
    "dossier_id",
    "kind",
    "threshold_hours",
    "unit_id",
    "agency_id",
    "role",
    "leader_unit_id",
    "due_at",
    "at",
)


@dataclass(frozen=True)
class ScanResult:
    """What one scan wrote."""

    due_soon: int
    escalated: int
    messages: int


def open_steps() -> Any:
    """Open steps of the dossiers whose clock runs (the `running()` condition, joined)."""
    return DossierStep.objects.filter(finished_at__isnull=True, dossier__status=Status.IN_PROGRESS)


def _due_soon_steps(at: datetime, window: timedelta) -> Any:
    # The calendars the running dossiers are counted in (served by the unit/status index).
    unit_ids = Dossier.objects.running().values(f"{timeliness.CALENDAR_UNIT_FIELD}_id")
    units = list(Unit.objects.filter(pk__in=unit_ids))
    return open_steps().filter(timeliness.due_within(at, units, window, dossier="dossier__"))


def _overdue_steps(at: datetime) -> Any:
    return open_steps().filter(due_at__lt=at)


def _insert(steps: Any, kind: WarningKind, hours: int, leader_unit: Any, at: datetime) -> list[int]:
    """Insert one warning per step not yet warned (kind, hours); return the new rows' ids."""
    warned = StepWarning.objects.filter(step=OuterRef("pk"), kind=kind, threshold_hours=hours)
    fresh = steps.filter(~Exists(warned))
    rows = fresh.order_by().values(
        w_step=F("pk"),
        w_dossier=F("dossier_id"),
        w_kind=Value(kind.value),
        w_hours=Value(hours, output_field=IntegerField()),
        w_unit=F("agency__unit_id"),
        w_agency=F("agency_id"),
        w_role=F("role"),
        w_leader_unit=leader_unit,
        w_due=F("due_at"),
        w_at=Value(at, output_field=DateTimeField()),
    )
    try:
        select, params = rows.query.sql_with_params()
    except EmptyResultSet:  # no calendar has a step in its window
        return []
    table = StepWarning._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) {select} "
        "ON CONFLICT (step_id, kind, threshold_hours) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


class _Staff:
    """The active holders of roles in some units, loaded in one query."""

    def __init__(self, unit_ids: Iterable[int], roles: Iterable[str]) -> None:
        self.by_unit_role: dict[tuple[int, str], list[tuple[int | None, dict[str, Any]]]] = (
            defaultdict(list)
        )
        rows = StaffRole.objects.filter(
            unit_id__in=set(unit_ids), role__in=set(roles), user__is_active=True
        ).values("unit_id", "agency_id", "role", "user_id", "user__username", "user__email")
        for r in rows:
            self.by_unit_role[(r["unit_id"], r["role"])].append((r["agency_id"], dict(r)))

    def holders(self, unit_id: int, role: str, agency_id: int | None = None) -> list[dict]:
        """The people holding `role` in the unit (in `agency`, or unit-wide, when given)."""
        found = self.by_unit_role.get((unit_id, role), [])
        return [r for a, r in found if agency_id is None or a is None or a == agency_id]


def _messages(ids: list[int], at: datetime) -> list[OutboxMessage]:
    """The in-app and email messages of the new warnings `ids`."""
    if not ids:
        return []
    warnings = list(
        StepWarning.objects.filter(pk__in=ids).values(
            "pk",
            "kind",
            "threshold_hours",
            "unit_id",
            "agency_id",
            "role",
            "leader_unit_id",
            "due_at",
            "dossier_id",
            "dossier__code",
            "step__name",
            "step__assignee_id",
        )
    )
    units = {w["unit_id"] for w in warnings} | {w["leader_unit_id"] for w in warnings}
    staff = _Staff(units, {w["role"] for w in warnings} | {Role.LEADER})
    out: list[OutboxMessage] = []
    for w in warnings:
        if w["kind"] == WarningKind.DUE_SOON:
            people = staff.holders(w["unit_id"], w["role"], w["agency_id"])
            if w["step__assignee_id"] is not None:  # an assigned step is its assignee's alone
                people = [p for p in people if p["user_id"] == w["step__assignee_id"]]
            people += staff.holders(w["unit_id"], Role.LEADER)
        else:
            people = staff.holders(w["leader_unit_id"], Role.LEADER) or staff.holders(
                w["unit_id"], Role.LEADER
            )
        payload = {
            "warning": w["pk"],
            "code": w["dossier__code"],
            "step": w["step__name"],
            "due_at": w["due_at"].isoformat(),
            "threshold_hours": w["threshold_hours"],
        }
        seen: set[int] = set()
        for person in people:
            if person["user_id"] in seen:
                continue
            seen.add(person["user_id"])
            out.extend(
                _to_person(person, kind=w["kind"], payload=payload, at=at, dossier=w["dossier_id"])
            )
    return out


def _to_person(
    person: dict[str, Any], *, kind: str, payload: dict[str, Any], at: datetime, dossier: Any
) -> list[OutboxMessage]:
    """The in-app message, and the email when the person has an address."""
    common = {"dossier_id": dossier, "user_id": person["user_id"], "kind": kind, "created_at": at}
    out = [
        OutboxMessage(channel="app", recipient=person["user__username"], payload=payload, **common)
    ]
    if person["user__email"]:
        out.append(
            OutboxMessage(
                channel="email", recipient=person["user__email"], payload=payload, **common
            )
        )
    return out


def _refresh_statistics() -> None:
    # The next scan's "not warned yet" anti-join is planned from the table's statistics;
    # after a catch-up that inserted thousands of rows into a table PostgreSQL believed
    # empty, it would compare every step with every warning until autovacuum analyzes.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {StepWarning._meta.db_table}")


def scan(at: datetime, hours: int | None = None) -> ScanResult:
    """Warn about the steps due within `hours` working hours (WARN_DUE_WITHIN_HOURS) and
    escalate the overdue ones, each once; write their messages; one transaction."""
    hours = settings.WARN_DUE_WITHIN_HOURS if hours is None else hours
    with transaction.atomic():
        soon = _insert(
            _due_soon_steps(at, timedelta(hours=hours)),
            WarningKind.DUE_SOON,
            hours,
            F("agency__unit_id"),
            at,
        )
        late = _insert(
            _overdue_steps(at),
            WarningKind.OVERDUE,
            0,
            Coalesce(F("agency__unit__parent_id"), F("agency__unit_id")),
            at,
        )
        messages = _messages(soon + late, at)
        OutboxMessage.objects.bulk_create(messages, batch_size=2000)
        if len(soon) + len(late) >= REFRESH_STATISTICS_AFTER:
            transaction.on_commit(_refresh_statistics)
    return ScanResult(due_soon=len(soon), escalated=len(late), messages=len(messages))


# --- the leaders' daily digest ---------------------------------------------------------------


def unit_dossiers(unit: Unit) -> Any:
    """The dossiers a unit works on: received there or decided there."""
    return Dossier.objects.filter(Q(receiving_unit=unit) | Q(competent_unit=unit))


def digest_payload(unit: Unit, at: datetime) -> dict[str, Any]:
    """Counts and lists of the unit's dossiers due soon, overdue and warned in the last day."""
    mine = unit_dossiers(unit)
    due_soon = mine.due_soon(at).order_by("due_at")
    overdue = mine.overdue(at).order_by("due_at")
    warned = (
        StepWarning.objects.filter(
            Q(unit=unit) | Q(leader_unit=unit), at__gt=at - timedelta(days=1)
        )
        .values("dossier_id")
        .distinct()
    )

    def listed(qs: Any) -> list[dict[str, str]]:
        return [
            {"code": code, "due_at": due.isoformat()}
            for code, due in qs.values_list("code", "due_at")[:DIGEST_LIST_LIMIT]
        ]

    n_due_soon, n_overdue = due_soon.count(), overdue.count()
    return {
        "unit": unit.name,
        "day": timezone.localtime(at).date().isoformat(),
        "due_soon": n_due_soon,
        "overdue": n_overdue,
        # The notification template's {count}: the dossiers that need attention today.
        "count": n_due_soon + n_overdue,
        "warned": warned.count(),
        "due_soon_list": listed(due_soon),
        "overdue_list": listed(overdue),
    }


def send_digests(at: datetime) -> int:
    """Write today's digest to the leaders of every unit that has some, once per local
    working day and unit, from DIGEST_HOUR; return the number of units digested now."""
    local = timezone.localtime(at)
    if local.hour < settings.DIGEST_HOUR:
        return 0
    staff = _Staff(
        StaffRole.objects.filter(role=Role.LEADER).values_list("unit_id", flat=True), [Role.LEADER]
    )
    sent = 0
    for unit in Unit.objects.filter(pk__in={u for u, _r in staff.by_unit_role}).order_by("path"):
        if not calendar_for(unit).is_working_day(local.date()):
            continue
        try:
            with transaction.atomic():
                LeaderDigest.objects.create(unit=unit, day=local.date(), at=at)
                payload = digest_payload(unit, at)
                messages = [
                    m
                    for person in staff.holders(unit.pk, Role.LEADER)
                    for m in _to_person(person, kind=DIGEST, payload=payload, at=at, dossier=None)
                ]
                OutboxMessage.objects.bulk_create(messages)
        except IntegrityError:
            continue  # another run wrote this unit's digest today
        sent += 1
    return sent


@task()
def scan_task() -> dict[str, int]:
    """Periodic task (PERIODIC_TASKS "warn-steps"): one warning scan now."""
    result = scan(timezone.now())
    if result.due_soon or result.escalated:
        logger.info("warned %d steps, escalated %d", result.due_soon, result.escalated)
    return {"due_soon": result.due_soon, "escalated": result.escalated}


@task()
def digest_task() -> int:
    """Periodic task (PERIODIC_TASKS "leader-digest"): today's digests not yet written."""
    return send_digests(timezone.now())
