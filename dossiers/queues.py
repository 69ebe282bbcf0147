"""The named inboxes officers work from, defined once for pages, counts and the API.

Each queue is a queryset method of `Dossier.objects` narrowed to the dossiers a user works
on: desk officers the dossiers their desk received; specialists, leaders and clerks the
dossiers whose current step they hold (a step a leader assigned to one person is held by that
person only). *Chờ ký* holds the decision steps, where the head decides and signs; a leader's
assignment and check steps are only *Đang giải quyết*.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, DossierQuerySet
from orgs.access import staff_roles
from orgs.models import ONE_STOP_DESK, Role, Unit

if TYPE_CHECKING:
    from accounts.models import User


class Queue(StrEnum):
    TO_RECEIVE = "to_receive"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AWAITING_SIGNATURE = "awaiting_signature"
    RESULTS_READY = "results_ready"


QUEUE_LABELS = {
    Queue.TO_RECEIVE: _("To receive"),
    Queue.IN_PROGRESS: _("In progress"),
    Queue.DUE_SOON: _("Due soon"),
    Queue.OVERDUE: _("Overdue"),
    Queue.AWAITING_SUPPLEMENT: _("Waiting for supplement"),
    Queue.AWAITING_SIGNATURE: _("Awaiting signature"),
    Queue.RESULTS_READY: _("Results ready to return"),
}


@dataclass(frozen=True)
class Scope:
    """What a user works on: the desks they staff and the steps they may hold."""

    desk_unit_ids: frozenset[int]
    step_condition: Q | None

    @classmethod
    def of(cls, user: "User", unit: Unit | None = None) -> "Scope":
        """Build the scope, limited to `unit` when the user chose one in the unit switcher."""
        desks: set[int] = set()
        step = Q()
        any_step = False
        for sr in staff_roles(user):
            if unit is not None and sr.unit_id != unit.pk:
                continue
            if sr.role == Role.DESK_OFFICER and (
                sr.agency is None or sr.agency.kind.code == ONE_STOP_DESK
            ):
                desks.add(sr.unit_id)
            if sr.role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK):
                where = (
                    Q(current_step__agency_id=sr.agency_id)
                    if sr.agency_id
                    else Q(current_step__agency__unit_id=sr.unit_id)
                )
                # An assigned step is its assignee's alone; an unassigned one every holder's.
                mine = Q(current_step__assignee__isnull=True) | Q(current_step__assignee_id=user.pk)
                step |= where & Q(current_step__role=sr.role) & mine
                any_step = True
        return cls(frozenset(desks), step if any_step else None)

    def dossiers(self) -> DossierQuerySet:
        """Dossiers received at the user's desks or waiting at a step the user holds."""
        condition = Q(receiving_unit_id__in=self.desk_unit_ids)
        if self.step_condition is not None:
            condition |= Q(status__in=["in_progress", "result_ready"]) & self.step_condition
        return Dossier.objects.filter(condition)

    def held(self) -> DossierQuerySet:
        if self.step_condition is None:
            return Dossier.objects.none()
        return Dossier.objects.filter(self.step_condition)


def queue(scope: Scope, name: Queue, at: datetime, unit: Unit | None = None) -> DossierQuerySet:
    """Return the dossiers of one named queue for a scope at instant `at`.

    Overdue and due soon are the `dossiers.timeliness` words, each dossier counted in its own
    calendar; `unit` (the unit switcher's choice) is already part of the scope.
    """
    mine = scope.dossiers()
    desk = Dossier.objects.filter(receiving_unit_id__in=scope.desk_unit_ids)
    if name is Queue.TO_RECEIVE:
        return desk.awaiting_receipt()
    if name is Queue.AWAITING_SUPPLEMENT:
        return mine.awaiting_supplement()
    if name is Queue.RESULTS_READY:
        return desk.results_ready()
    if name is Queue.AWAITING_SIGNATURE:
        return scope.held().awaiting_signature()
    if name is Queue.OVERDUE:
        return mine.overdue(at)
    if name is Queue.DUE_SOON:
        return mine.due_soon(at)
    return mine.running()


def counts(scope: Scope, at: datetime, unit: Unit | None = None) -> dict[Queue, int]:
    """Count every queue (one query each)."""
    return {name: queue(scope, name, at, unit).count() for name in Queue}
