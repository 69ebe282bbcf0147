"""Warnings before a field report's deadline and escalation once it is overdue.

Not the dossiers' StepWarning machinery (dossiers/warnings.py works on workflow steps and
their roles); the same rules on a report: the periodic task "warn-field-reports" (every
WARN_SCAN_SECONDS) warns, once, the staff of the responsible agency (or the unit's leaders
when no agency answers the category) and the unit's leaders when an open report is due
within WARN_DUE_WITHIN_HOURS working hours of its unit's calendar, and escalates an overdue
report once to the leaders of the unit above (the unit's own when it has none). Reports are
claimed in chunks: rows still unmarked are locked (SELECT ... FOR UPDATE SKIP LOCKED, so a
concurrent scan skips them), marked (`warned_at` / `escalated_at`) and their in-app and e-mail
rows written in the same transaction, so two scans never warn twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dossiers.models import OutboxMessage
from fieldreports.models import FieldReport
from orgs.models import Role, StaffRole
from workdays.calendars import calendar_for

# Reports claimed and messaged per transaction.
CHUNK = 500
# A working-hours window never spans more calendar time than this (Tết and a weekend).
_CALENDAR_SPAN = timedelta(days=16)


@dataclass
class ScanResult:
    warned: int = 0
    escalated: int = 0
    messages: int = 0


class _People:
    """Who is told about a report, read once per (unit, agency, escalation) in one scan."""

    def __init__(self) -> None:
        self.known: dict[tuple[int, int | None, bool], list[dict[str, Any]]] = {}

    def of(self, report: FieldReport, *, escalate: bool) -> list[dict[str, Any]]:
        key = (report.unit_id, report.agency_id, escalate)
        if key not in self.known:
            self.known[key] = _people(report, escalate=escalate)
        return self.known[key]


def _people(report: FieldReport, *, escalate: bool) -> list[dict[str, Any]]:
    base = StaffRole.objects.filter(user__is_active=True).values(
        "user_id", "user__username", "user__email"
    )
    if escalate:
        above = report.unit.parent_id or report.unit_id
        people: list[dict[str, Any]] = [
            dict(r) for r in base.filter(unit_id=above, role=Role.LEADER)
        ]
        if people:
            return people
    people = [dict(r) for r in base.filter(unit_id=report.unit_id, role=Role.LEADER)]
    if report.agency_id is not None and not escalate:
        people += [dict(r) for r in base.filter(agency_id=report.agency_id)]
    return people


def _reason(report: FieldReport) -> str:
    due = timezone.localtime(report.expected_at).strftime("%d/%m/%Y %H:%M")
    return f"số {report.pk}, {report.category.name}, {report.unit.name}, hạn {due}"


def _messages(
    people: _People, report: FieldReport, kind: str, at: datetime, escalate: bool
) -> list[OutboxMessage]:
    payload = {"reason": _reason(report), "field_report": report.pk}
    out: list[OutboxMessage] = []
    seen: set[int] = set()
    for p in people.of(report, escalate=escalate):
        if p["user_id"] in seen:
            continue
        seen.add(p["user_id"])
        common = {"user_id": p["user_id"], "kind": kind, "created_at": at, "payload": payload}
        out.append(OutboxMessage(channel="app", recipient=p["user__username"], **common))
        if p["user__email"]:
            out.append(OutboxMessage(channel="email", recipient=p["user__email"], **common))
    return out


def scan(at: datetime, hours: int | None = None) -> ScanResult:
    """Warn of reports due soon and escalate overdue ones, once each; return what was done."""
    window = timedelta(hours=hours if hours is not None else settings.WARN_DUE_WITHIN_HOURS)
    result = ScanResult()
    people = _People()
    open_reports = FieldReport.objects.open().select_related("unit", "category")
    overdue = list(open_reports.filter(escalated_at__isnull=True, expected_at__lte=at))
    for chunk in _chunks(overdue):
        escalated, messages = _claim(chunk, "escalated_at", at, people, escalate=True)
        result.escalated += escalated
        result.messages += messages
    candidates = open_reports.filter(
        warned_at__isnull=True, expected_at__gt=at, expected_at__lte=at + _CALENDAR_SPAN
    )
    due_soon = [r for r in candidates if calendar_for(r.unit).between(at, r.expected_at) <= window]
    for chunk in _chunks(due_soon):
        warned, messages = _claim(chunk, "warned_at", at, people, escalate=False)
        result.warned += warned
        result.messages += messages
    return result


def _chunks(reports: list[FieldReport]) -> list[list[FieldReport]]:
    return [reports[i : i + CHUNK] for i in range(0, len(reports), CHUNK)]


def _claim(
    reports: list[FieldReport], mark: str, at: datetime, people: _People, *, escalate: bool
) -> tuple[int, int]:
    """Mark the reports not yet marked (locked; a concurrent scan skips them) and write their
    messages, in one transaction; return how many reports and messages."""
    kind = "field_report_overdue" if escalate else "field_report_due_soon"
    with transaction.atomic():
        ids = set(
            FieldReport.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[r.pk for r in reports], **{f"{mark}__isnull": True})
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0, 0
        FieldReport.objects.filter(pk__in=ids).update(**{mark: at})
        messages = [
            m
            for r in reports
            if r.pk in ids
            for m in _messages(people, r, kind, at, escalate=escalate)
        ]
        OutboxMessage.objects.bulk_create(messages, batch_size=1000)
    return len(ids), len(messages)


@task()
def scan_task() -> dict[str, int]:
    """The periodic "warn-field-reports" task."""
    r = scan(timezone.now())
    return {"warned": r.warned, "escalated": r.escalated, "messages": r.messages}
