"""The business words about a dossier's time, defined once (docs/glossary.md).

Early / on time / late, overdue, within time, due soon, paused, re-appointed, and the unit
whose calendar a dossier is counted in. The inboxes, the dossier page, the report and its
counters, the charts and the templates all read these definitions; the report's `Q`
conditions, the desk's querysets and the counters' SQL are built here side by side.

The rules:

- **Calendar**: a dossier, and each of its steps, is counted in the *receiving* unit's
  working calendar: the desk that received it promised the appointment on the receipt
  (form 01) and returns the result (Decree 118/2025 arts. 14.2, 20; DOMAIN.md §2).
- **Clock end at T**: the clock runs until T, or until the supplement request if the dossier
  is paused then (a pending supplement ends at the request instant, DOMAIN.md §6).
- **Overdue at T**: received, not finished at T, and its due instant is before its clock end
  at T. A dossier paused *before* its due instant is not overdue while it waits (its clock
  stopped; the time limit resumes or restarts on the supplement, Decree 118 art. 19.5); one
  paused *after* its due instant stays overdue while it waits (the request came too late to
  stop a clock that had already run out).
- **Intake limit** of an online filing: the desk receives it, or asks for a supplement,
  within ONLINE_INTAKE_HOURS (8) working hours of filing, counted from the first working
  instant after it was filed, or after the supplement that completed it (Decree 118 art.
  17.2c; DOMAIN.md §2).
- **Verdict** of a finished dossier or step: late when its clock end is after the due
  instant, early when it ended on a local day before the due day, on time otherwise; a
  re-appointed dossier stays late (Decree 118 art. 19.6; DOMAIN.md §2, §6).
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F, Q

from dossiers.choices import Channel, Punctuality, Status
from orgs.models import Unit
from workcal import WorkCalendar
from workdays.calendars import calendar_for

if TYPE_CHECKING:
    from dossiers.models import Dossier, DossierStep

# The dossier field naming the unit whose calendar counts its time (see the module docstring).
CALENDAR_UNIT_FIELD = "receiving_unit"


# --- the calendar ----------------------------------------------------------------------------


def counted_in(dossier: "Dossier") -> Unit:
    """Return the unit whose working calendar counts the dossier's time: the receiving unit."""
    return dossier.receiving_unit


def calendar_of(dossier: "Dossier") -> WorkCalendar:
    """Return the working calendar the dossier and its steps are counted in."""
    return calendar_for(counted_in(dossier))


# --- instants and verdicts (one dossier, in Python) -----------------------------------------


def clock_end(at: datetime, paused_at: datetime | None) -> datetime:
    """Return where the clock stands at `at`: `at`, or the supplement request if paused then."""
    if paused_at is not None and paused_at < at:
        return paused_at
    return at


def overdue_from(
    received_at: datetime | None, due_at: datetime | None, paused_at: datetime | None
) -> datetime | None:
    """Return the instant from which a dossier counts as overdue while open (None: never).

    Overdue at T exactly when received before T, due before T, and not paused at or before
    its due instant: the earliest such T is the later of receipt and the due instant.
    """
    if received_at is None or due_at is None:
        return None
    if paused_at is not None and paused_at <= due_at:
        return None
    return max(received_at, due_at)


def in_progress(dossier: "Dossier", at: datetime) -> bool:
    """Return whether the dossier was received and not yet finished at `at`."""
    return (
        dossier.status != Status.CANCELLED
        and dossier.received_at is not None
        and dossier.received_at < at
        and (dossier.finished_at is None or dossier.finished_at >= at)
    )


def is_overdue(dossier: "Dossier", at: datetime) -> bool:
    """Return whether the dossier is overdue at `at` (see the module docstring)."""
    start = overdue_from(dossier.received_at, dossier.due_at, dossier.paused_at)
    return in_progress(dossier, at) and start is not None and start < at


def is_paused(dossier: "Dossier", at: datetime) -> bool:
    """Return whether the dossier's clock is stopped for a supplement at `at`."""
    return in_progress(dossier, at) and dossier.paused_at is not None and dossier.paused_at <= at


def verdict(
    calendar: WorkCalendar, ended: datetime, due: datetime, *, reappointed: bool = False
) -> Punctuality:
    """Return early / on time / late for processing that ended at `ended` against `due`."""
    if reappointed:
        # A re-appointed dossier stays counted as late (Decree 118 art. 19.6).
        return Punctuality.LATE
    return Punctuality(calendar.classify_finished(ended, due))


def dossier_verdict(dossier: "Dossier", finished_at: datetime) -> Punctuality:
    """Return the verdict of a dossier whose processing ends at `finished_at`.

    A dossier that ends while paused for a supplement is judged at the request instant.
    """
    assert dossier.due_at is not None, "only a received dossier has a verdict"
    ended = clock_end(finished_at, dossier.paused_at)
    return verdict(calendar_of(dossier), ended, dossier.due_at, reappointed=dossier.reappointed)


def step_verdict(dossier: "Dossier", step: "DossierStep", finished_at: datetime) -> Punctuality:
    """Return the verdict of one step of the dossier that ends at `finished_at`."""
    return verdict(calendar_of(dossier), finished_at, step.due_at)


def remaining(dossier: "Dossier", at: datetime) -> timedelta | None:
    """Return the working time left until the due instant (negative when overdue).

    None unless the clock runs: not received, paused for a supplement, or finished.
    """
    if dossier.due_at is None or dossier.status != Status.IN_PROGRESS:
        return None
    return calendar_of(dossier).between(at, dossier.due_at)


def step_remaining(dossier: "Dossier", step: "DossierStep", at: datetime) -> timedelta | None:
    """Return the working time left for an open step while the dossier's clock runs."""
    if step.finished_at is not None or dossier.status != Status.IN_PROGRESS:
        return None
    return calendar_of(dossier).between(at, step.due_at)


def intake_limit() -> timedelta:
    """Return the working time the desk has to receive an online filing (art. 17.2c)."""
    return timedelta(hours=settings.ONLINE_INTAKE_HOURS)


def intake_filed_at(dossier: "Dossier") -> datetime:
    """Return when the filing the desk has to answer arrived: the first filing, or the
    supplement that completed it after a request at intake (the desk answered the first one
    by asking; the completed filing is answered anew)."""
    if dossier.supplement_count and dossier.received_at is None:
        # One query, for the few dossiers asked to supplement at intake; the verb's name as
        # in dossiers.workflow.Verb.SUPPLEMENT (not imported: workflow imports the models).
        last = dossier.events.filter(verb="supplement").order_by("-at").first()
        if last is not None:
            return last.at
    return dossier.submitted_at


def intake_due(dossier: "Dossier") -> datetime | None:
    """Return the instant by which the desk must receive an online filing or ask for a
    supplement (None for desk and post dossiers, which are received as they are handed in)."""
    if dossier.channel != Channel.ONLINE:
        return None
    cal = calendar_of(dossier)
    return cal.add(cal.effective_start(intake_filed_at(dossier)), intake_limit())


def intake_remaining(dossier: "Dossier", at: datetime) -> timedelta | None:
    """Return the working time left to receive an online filing still waiting for the desk
    (negative once the intake limit has passed); None for any other dossier."""
    if dossier.status != Status.SUBMITTED:
        return None
    due = intake_due(dossier)
    if due is None:
        return None
    return calendar_of(dossier).between(at, due)


def due_soon_hours() -> timedelta:
    """Return the warning window before the due instant ("due soon"), in working time."""
    return timedelta(hours=settings.DUE_SOON_HOURS)


def due_soon_until(at: datetime, unit: Unit | None, window: timedelta | None = None) -> datetime:
    """Return the end of the due-soon window that opens at `at` in `unit`'s calendar.

    `window` is the working time before the due instant (DUE_SOON_HOURS when None; the early
    warnings pass WARN_DUE_WITHIN_HOURS).
    """
    return calendar_for(unit).add(at, window if window is not None else due_soon_hours())


# --- conditions on dossier rows (querysets and the report) ----------------------------------


def received() -> Q:
    """Dossiers received (the clock started once) and not cancelled as entered in error."""
    return Q(received_at__isnull=False) & ~Q(status=Status.CANCELLED)


def in_progress_at(at: datetime) -> Q:
    """Dossiers received before `at` whose processing had not ended by `at`."""
    return (
        received() & Q(received_at__lt=at) & (Q(finished_at__isnull=True) | Q(finished_at__gte=at))
    )


def _past_due(at: datetime) -> Q:
    # The row form of `overdue_from(...) < at`, given received before `at`.
    return Q(due_at__lt=at) & (Q(paused_at__isnull=True) | Q(due_at__lt=F("paused_at")))


def overdue_at(at: datetime) -> Q:
    """Dossiers overdue at `at`: in progress and past due at their clock end."""
    return in_progress_at(at) & _past_due(at)


def within_time_at(at: datetime) -> Q:
    """Dossiers in progress at `at` and not overdue (paused ones included)."""
    return in_progress_at(at) & ~_past_due(at)


def running_at(at: datetime) -> Q:
    """Dossiers in progress at `at` whose clock runs (not waiting for a supplement)."""
    return in_progress_at(at) & (Q(paused_at__isnull=True) | Q(paused_at__gt=at))


def due_within(
    at: datetime, units: list[Unit], window: timedelta | None = None, *, dossier: str = ""
) -> Q:
    """Rows due at or after `at` and before the end of the due-soon window, each window
    counted in its dossier's calendar.

    `units` are the units whose calendars the dossiers are counted in (dossiers counted in
    other units never match); units whose windows end at the same instant (the same
    calendar) share one condition. `dossier` is the path from the rows to their dossier
    ("" for dossier rows, "dossier__" for step rows): a step is counted in its dossier's
    calendar.
    """
    by_end: dict[datetime, list[int]] = {}
    for unit in units:
        by_end.setdefault(due_soon_until(at, unit, window), []).append(unit.pk)
    windows = Q(pk__in=[])
    for end, ids in by_end.items():
        windows |= Q(**{f"{dossier}{CALENDAR_UNIT_FIELD}_id__in": ids}) & Q(due_at__lt=end)
    return Q(due_at__gte=at) & windows


def due_soon_at(at: datetime, units: list[Unit], window: timedelta | None = None) -> Q:
    """Running dossiers not overdue at `at` and due within the due-soon window.

    The window is counted in each dossier's own calendar (`due_within`).
    """
    return running_at(at) & due_within(at, units, window)


def resolved_between(start: datetime, end: datetime) -> Q:
    """Dossiers whose processing ended with a verdict in [start, end)."""
    return Q(finished_at__gte=start, finished_at__lt=end, punctuality__isnull=False)


def judged(value: Punctuality) -> Q:
    """Dossiers (or steps) whose verdict is `value`."""
    return Q(punctuality=value)


# --- the same rule for the report's counters (raw SQL over the dossier table) ---------------


def overdue_from_sql(alias: str, vendor: str) -> str:
    """Return `overdue_from` as an SQL expression over the dossier row `alias` (non-null
    received_at assumed) for the "postgresql" or "sqlite" vendor."""
    greatest = "GREATEST" if vendor == "postgresql" else "MAX"
    return (
        f"CASE WHEN {alias}.due_at IS NULL THEN NULL "
        f"WHEN {alias}.paused_at IS NOT NULL AND {alias}.paused_at <= {alias}.due_at THEN NULL "
        f"ELSE {greatest}({alias}.due_at, {alias}.received_at) END"
    )
