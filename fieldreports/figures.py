"""Field-report figures for the operations wall (issue 16): open and late, per unit subtree."""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, F, Q

from fieldreports.models import FieldReport, ReportStatus


def open_and_late(unit_paths: Sequence[str], at: datetime) -> dict[str, int]:
    """For the units under `unit_paths` (materialised paths, e.g. the province's): reports
    open now, open past their deadline at `at`, closed, and closed after their deadline,
    counted in one query."""
    counts = FieldReport.objects.in_units(tuple(unit_paths)).aggregate(
        open=Count("pk", filter=Q(status=ReportStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=ReportStatus.OPEN, expected_at__lte=at)),
        closed=Count("pk", filter=Q(status=ReportStatus.CLOSED)),
        closed_late=Count(
            "pk", filter=Q(status=ReportStatus.CLOSED, closed_at__gt=F("expected_at"))
        ),
    )
    return {k: int(v or 0) for k, v in counts.items()}
