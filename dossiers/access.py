"""Fetch dossiers for a user and tell which verbs they may use now."""

import hmac
import secrets
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import ratelimit
from accounts.ratelimit import Limit
from catalog.models import RequiredDocument, WorkflowStep
from catalog.public import competent_units
from dossiers.models import Dossier, DossierStep, Status, StepKind, StepWarning
from dossiers.steps import step_kinds
from dossiers.workflow import TRANSITIONS, Actor, Verb
from orgs.access import has_role, staff_roles
from orgs.models import ONE_STOP_DESK, Role, Unit

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import QuerySet

    from accounts.models import User


def get_dossier_for_user(user: "User", code: str) -> Dossier | None:
    """Return the dossier if the user may see it, else None (never reveal that it exists)."""
    return (
        Dossier.objects.visible_to(user)
        .select_related(
            "procedure_version__procedure",
            "receiving_unit",
            "competent_unit",
            "current_step__agency__kind",
        )
        .filter(code=code)
        .first()
    )


def citizen_dossiers(user: "User") -> "QuerySet[Dossier]":
    """The dossiers a citizen sees on the portal: their own online filings and, once their ID
    number is vouched, the desk filings under it (ADR 14); nothing for anyone else."""
    if not user.is_authenticated or not getattr(user, "is_citizen", False):
        return Dossier.objects.none()
    return Dossier.objects.visible_to(user).select_related(
        "procedure_version__procedure", "receiving_unit", "current_step"
    )


class LookupLocked(Exception):
    """Too many failed lookups from one address recently; `message` says when to come back."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _lookup_limits() -> tuple[Limit, Limit]:
    window = timedelta(minutes=settings.PIN_LOCKOUT_MINUTES)
    return Limit(settings.LOOKUP_MAX_FAILURES, window), Limit(settings.PIN_MAX_FAILURES, window)


def get_dossier_by_receipt(
    code: str, secret: str, *, client: str, at: "datetime | None" = None
) -> Dossier | None:
    """Return the dossier whose code and receipt PIN match, for public pages; else None.

    A six-digit PIN can be guessed and codes can be enumerated, so failed lookups are counted
    per client address (`accounts.ratelimit`, shared by every app node): LOOKUP_MAX_FAILURES
    across all codes, and PIN_MAX_FAILURES for one code, within PIN_LOCKOUT_MINUTES; past
    either, the address gets `LookupLocked`. An unknown code and a wrong PIN count and answer
    alike. A citizen with the right PIN from another address is never locked out by someone
    else's guesses. Each attempt is counted before it is judged (parallel guesses see each
    other) and a right one is refunded.
    """
    if not secret.strip():
        return None  # no PIN is no guess: the answer says nothing about the code
    now = at or timezone.now()
    code = code.strip()
    by_address, by_code = _lookup_limits()
    keys = ((f"lookup:{client}", by_address), (f"pin:{code.upper()[:40]}:{client}", by_code))
    allowed = [ratelimit.hit(key, limit, at=now) for key, limit in keys]
    if not all(allowed):
        for key, limit in keys:
            ratelimit.refund(key, limit, at=now)  # a refused lookup does not extend the wait
        raise LookupLocked(
            _(
                "Too many wrong dossier codes or lookup PINs from your address. Try again in "
                "%(minutes)s minutes, or ask the one-stop desk."
            )
            % {"minutes": settings.PIN_LOCKOUT_MINUTES}
        )
    d = dossier_by_code(code)
    # Imported dossiers have no PIN: nothing about them is public. One comparison in
    # constant time whether or not the dossier exists.
    expected = d.public_secret if d is not None and d.public_secret else secrets.token_hex(8)
    if not hmac.compare_digest(expected.encode(), secret.strip().encode()):
        return None
    for key, limit in keys:
        ratelimit.refund(key, limit, at=now)
    return d


def dossier_by_code(code: str) -> Dossier | None:
    """The dossier whose code is `code` in any letter case (the dossier_code_upper index)."""
    return (
        Dossier.objects.select_related("procedure_version__procedure", "receiving_unit")
        .alias(code_upper=Upper("code"))
        .filter(code_upper=code.strip().upper())
        .first()
    )


def decision_position(dossier: Dossier) -> int | None:
    """Return the position of the step whose leader decides (the last leader step)."""
    positions = [
        s.position
        for s, kind in zip(workflow_steps(dossier), version_step_kinds(dossier), strict=True)
        if kind == StepKind.DECIDE
    ]
    return positions[0] if positions else None


def version_step_kinds(dossier: Dossier) -> tuple[StepKind, ...]:
    """Return the kind of each workflow step of the dossier's version, in order."""
    return _version_kinds(dossier.procedure_version_id)


@lru_cache(maxsize=2048)
def _version_kinds(version_id: int) -> tuple[StepKind, ...]:
    return tuple(step_kinds([s.role for s in _version_steps(version_id)]))


def workflow_steps(dossier: Dossier) -> "tuple[WorkflowStep, ...]":
    """Return the workflow steps of the dossier's procedure version, in order."""
    return _version_steps(dossier.procedure_version_id)


def version_documents(version_id: int) -> "tuple[RequiredDocument, ...]":
    """Return the required documents of a procedure version, in order."""
    return _version_documents(version_id)


@lru_cache(maxsize=2048)
def _version_documents(version_id: int) -> "tuple[RequiredDocument, ...]":
    # Published versions are immutable, like their steps below.
    return tuple(RequiredDocument.objects.filter(version_id=version_id).order_by("position"))


@lru_cache(maxsize=2048)
def _version_steps(version_id: int) -> "tuple[WorkflowStep, ...]":
    # A published version never changes (catalog admin makes it read-only), so its
    # steps can be kept for the life of the process.
    return tuple(
        WorkflowStep.objects.filter(version_id=version_id)
        .select_related("agency_kind")
        .order_by("position")
    )


def _is_desk(user: "User", dossier: Dossier) -> bool:
    for sr in staff_roles(user):
        if (
            sr.role == Role.DESK_OFFICER
            and sr.unit_id == dossier.receiving_unit_id
            and (sr.agency is None or sr.agency.kind.code == ONE_STOP_DESK)
        ):
            return True
    return False


def _holds_step(user: "User", step: DossierStep | None) -> bool:
    """Tell whether the user holds the open step: its assignee, when a leader named one
    (still holding the role), else anyone with the step's role in its agency."""
    if step is None or step.finished_at is not None:
        return False
    if step.assignee_id is not None and step.assignee_id != user.pk:
        return False
    return has_role(user, step.role, step.agency.unit, step.agency)


def _is_admin(user: "User", dossier: Dossier) -> bool:
    return any(
        has_role(user, role, unit)
        for role in (Role.UNIT_ADMIN, Role.SYSADMIN)
        for unit in (dossier.receiving_unit, dossier.competent_unit)
    )


def _is_processing(user: "User", dossier: Dossier) -> bool:
    if _is_desk(user, dossier):
        return True
    return any(
        has_role(user, role, dossier.competent_unit) for role in (Role.LEADER, Role.SPECIALIST)
    )


def is_system_account(user: "User") -> bool:
    """Tell whether `user` is the account the scheduled tasks act as (SYSTEM_USERNAME): that
    name, inactive and without a usable password, so nobody can sign in as it."""
    return (
        user.is_authenticated
        and user.get_username() == settings.SYSTEM_USERNAME
        and not user.is_active
        and not user.has_usable_password()
    )


def actor_matches(user: "User", dossier: Dossier, actors: frozenset[Actor]) -> bool:
    """Tell whether the user plays one of `actors` for this dossier now."""
    step = dossier.current_step
    at_decision = step is not None and step.position == decision_position(dossier)
    checks = {
        Actor.APPLICANT: lambda: user.is_authenticated and dossier.applicant_user_id == user.pk,
        Actor.DESK: lambda: _is_desk(user, dossier),
        Actor.STEP: lambda: not at_decision and _holds_step(user, step),
        Actor.DECIDER: lambda: at_decision and _holds_step(user, step),
        Actor.PROCESSING: lambda: _is_processing(user, dossier),
        Actor.ADMIN: lambda: _is_admin(user, dossier),
        Actor.SYSTEM: lambda: is_system_account(user),
    }
    return any(checks[actor]() for actor in actors)


def transfer_targets(dossier: Dossier) -> dict[int, Unit]:
    """The units the dossier may be transferred to now: those that may decide it
    (`catalog.public.competent_units`) except its current competent unit."""
    units = competent_units(dossier.procedure_version, dossier.receiving_unit)
    return {u.pk: u for u in units if u.pk != dossier.competent_unit_id}


def guard_problem(dossier: Dossier, verb: Verb) -> str | None:
    """Return why `verb` can't apply to this dossier beyond its status, or None."""
    if verb is Verb.REQUEST_SUPPLEMENT and dossier.supplement_count >= 1:
        return _("A supplement was already requested for this dossier; the law allows only one.")
    if verb is Verb.APOLOGIZE and dossier.reappointed:
        return _("The dossier already has a new appointment; a second one is not allowed.")
    if verb is Verb.STOP and dossier.outcome:
        return _("A decision has been made; the dossier can no longer be stopped.")
    if verb is Verb.TRANSFER and dossier.outcome:
        return _("A decision has been made; the dossier can no longer be transferred.")
    if verb is Verb.TRANSFER and not transfer_targets(dossier):
        return _("No other unit can decide dossiers of this procedure; it cannot be transferred.")
    if verb is Verb.SEND_BACK:
        step = dossier.current_step
        if step is None or step.position <= 1:
            return _(
                "The dossier is at its first step; there is no previous step to send it back to."
            )
    return None


def allowed_verbs(user: "User", dossier: Dossier) -> list[Verb]:
    """Return the verbs the user may use on the dossier now, in table order."""
    verbs = []
    for verb, transition in TRANSITIONS.items():
        if dossier.status not in transition.sources:
            continue
        at_intake = verb is Verb.REQUEST_SUPPLEMENT and dossier.status == Status.SUBMITTED
        if at_intake and not _is_desk(user, dossier):
            continue
        if not actor_matches(user, dossier, transition.actors):
            continue
        if guard_problem(dossier, verb) is not None:
            continue
        verbs.append(verb)
    return verbs


# Roles that hold steps: their holders see the warnings about the steps of their role.
STEP_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.CLERK)


def warnings_for(user: "User", unit: "Unit | None" = None) -> "QuerySet[StepWarning]":
    """The step warnings a user is concerned by, newest first: those about steps of a role
    they hold (in the step's agency, or unit-wide), and for a leader every warning of their
    unit and the escalations sent up to it. `unit` narrows to the unit switcher's choice."""
    condition = Q(pk__in=[])
    for sr in staff_roles(user):
        if unit is not None and sr.unit_id != unit.pk:
            continue
        if sr.role == Role.LEADER:
            condition |= Q(unit_id=sr.unit_id) | Q(leader_unit_id=sr.unit_id)
        elif sr.role in STEP_ROLES:
            where = Q(agency_id=sr.agency_id) if sr.agency_id else Q(unit_id=sr.unit_id)
            condition |= where & Q(role=sr.role)
    return (
        StepWarning.objects.filter(condition)
        .select_related("dossier", "step", "unit")
        .order_by("-at", "-pk")
    )
