"""Who sees and answers field reports (the roles' reach comes from orgs.access)."""

from typing import Any

from django.db.models import Q

from fieldreports.models import FieldReport, FieldReportQuerySet
from orgs.access import STEP_HOLDING_ROLES, unit_ids_for
from orgs.models import Role

# Those who hold steps in a unit answer its reports; watchers (IOC, inspectors) only read.
ANSWERING_ROLES = STEP_HOLDING_ROLES | {Role.UNIT_ADMIN}


def visible_to(user: Any) -> FieldReportQuerySet:
    """The reports of the units the staff member reaches (every role)."""
    return FieldReport.objects.filter(unit_id__in=unit_ids_for(user))


def answerable_by(user: Any) -> FieldReportQuerySet:
    return FieldReport.objects.filter(unit_id__in=unit_ids_for(user, ANSWERING_ROLES))


def may_answer(user: Any, report: FieldReport) -> bool:
    return answerable_by(user).filter(pk=report.pk).exists()


def of_reporter(user: Any) -> FieldReportQuerySet:
    """A citizen's own reports (sent while signed in)."""
    if not user.is_authenticated:
        return FieldReport.objects.none()
    return FieldReport.objects.filter(Q(reporter=user))
