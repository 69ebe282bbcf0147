"""Rows that make periodic work run exactly once per period, whichever process ticks first."""

from django.db import models


class PeriodicRun(models.Model):
    """One claimed period of one periodic task: whoever inserted this row queued the task."""

    name = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=200)

    class Meta:
        constraints = [
            # jobs.periodic.claim relies on it: of two ticks for the same period, the second
            # INSERT fails, so the task is queued once per period however many clocks run.
            models.UniqueConstraint(fields=["name", "period_start"], name="periodic_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period_start:%Y-%m-%d %H:%M:%S}"
