"""Field-report figures for the operations wall (issue 16): open and late, per unit subtree."""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, F, Q

from fieldreports.models import FieldReport, ReportStatus
from orgs.models import Unit


def open_and_late(unit_paths: Sequence[str], at: datetime) -> dict[str, int]:
    """For the units under `unit_paths` (materialised paths, e.g. the province's): reports
    open at `at` and, of them, those past their deadline ("late"), in one query over the open
    reports only (the partial index `fieldreport_open_due`), whatever the history's size."""
    condition = Q(pk__in=[])
    for path in unit_paths:
        condition |= Q(path__startswith=path)
    units = Unit.objects.filter(condition).values("pk")
    counts = FieldReport.objects.filter(status=ReportStatus.OPEN, unit_id__in=units).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(expected_at__lte=at))
    )
    return {k: int(v or 0) for k, v in counts.items()}


def closed_in(unit_paths: Sequence[str], start: datetime, end: datetime) -> dict[str, int]:
    """Reports closed in [start, end) under `unit_paths`, and of them those closed late."""
    late = Q(closed_at__gt=F("expected_at"))
    counts = (
        FieldReport.objects.in_units(tuple(unit_paths))
        .filter(status=ReportStatus.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .aggregate(closed=Count("pk"), closed_late=Count("pk", filter=late))
    )
    return {k: int(v or 0) for k, v in counts.items()}
