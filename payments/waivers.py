"""Fee waiver categories of a unit (kept by its unit administrators) and waivers granted on a
dossier by the desk. Each change is one transaction; a category records who added and who
retired it, a waiver is an event in the dossier's chain."""

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from catalog.models import Procedure
from catalog.public import filed_at, in_force
from dossiers.access import actor_matches
from dossiers.actions import InvalidInput, InvalidTransition, NotAllowed, record_event
from dossiers.choices import TERMINAL_STATUSES
from dossiers.models import Dossier
from dossiers.workflow import Actor, Verb
from lib.text import fold
from orgs.access import unit_ids_for
from orgs.models import Role, Unit
from payments.models import FeeWaiver, Payment, PaymentStatus, WaiverCategory, Waives

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)


def administered_units(user: "User") -> QuerySet[Unit]:
    """The units whose waiver categories `user` keeps (unit administrators, their subtree)."""
    return Unit.objects.filter(pk__in=unit_ids_for(user, [Role.UNIT_ADMIN])).order_by("path")


def unit_procedures(unit: Unit) -> QuerySet[Procedure]:
    """The procedures in force filed at the unit's desk: what its categories may cover."""
    versions = filed_at(in_force(), unit)
    return Procedure.objects.filter(pk__in=versions.values("procedure_id")).order_by("code")


def categories_for(dossier: Dossier) -> QuerySet[WaiverCategory]:
    """The receiving unit's active categories that cover the dossier's procedure."""
    procedure_id = dossier.procedure_version.procedure_id
    return (
        WaiverCategory.objects.filter(unit_id=dossier.receiving_unit_id, retired_at__isnull=True)
        .filter(Q(procedures__isnull=True) | Q(procedures=procedure_id))
        .distinct()
        .order_by("name")
    )


def _code_from(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:40]


def _check_admin(user: "User", unit: Unit) -> None:
    if not administered_units(user).filter(pk=unit.pk).exists():
        raise NotAllowed(_("Only the unit's administrators keep its fee waiver categories."))


def add_category(
    unit: Unit,
    *,
    name: str,
    code: str = "",
    basis: str = "",
    waives: str = Waives.ALL,
    procedures: Iterable[Procedure] = (),
    by: "User",
    at: datetime,
) -> WaiverCategory:
    """Add a waiver category to the unit (its administrators only)."""
    _check_admin(by, unit)
    name = " ".join(name.split())[:200]
    if not name:
        raise InvalidInput(_("Enter the category's name."), field="name")
    code = (code.strip().lower() or _code_from(name))[:40]
    if not re.fullmatch(r"[a-z0-9_-]+", code):
        raise InvalidInput(
            _("A code is lower-case letters without accents, digits, - and _."), field="code"
        )
    if waives not in Waives.values:
        raise InvalidInput(_("Choose what the category waives."), field="waives")
    chosen = list(procedures)
    allowed = set(unit_procedures(unit).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in chosen):
        raise InvalidInput(_("Choose procedures filed at this unit's desk."), field="procedures")
    try:
        with transaction.atomic():
            category = WaiverCategory.objects.create(
                unit=unit,
                code=code,
                name=name,
                basis=" ".join(basis.split())[:300],
                waives=waives,
                created_by=by,
                created_at=at,
            )
            category.procedures.set(chosen)
    except IntegrityError:
        raise InvalidInput(
            _("Code %(code)s is already used by a category of this unit.") % {"code": code},
            field="code",
        ) from None
    log.info("waiver category %s added to unit %s by %s", code, unit.code, by.username)
    return category


def retire_category(category: WaiverCategory, *, by: "User", at: datetime) -> bool:
    """Retire a category: no new waiver under it; those granted stand. False if it already was."""
    _check_admin(by, category.unit)
    with transaction.atomic():
        done = WaiverCategory.objects.filter(pk=category.pk, retired_at__isnull=True).update(
            retired_at=at, retired_by=by
        )
    if done:
        log.info(
            "waiver category %s of unit %s retired by %s",
            category.code,
            category.unit.code,
            by.username,
        )
    return bool(done)


def grant(
    dossier: Dossier, category: WaiverCategory, *, reason: str, by: "User", at: datetime
) -> FeeWaiver:
    """Waive the dossier's fees for an applicant category, with the reason (the desk of its
    receiving unit); an event in the dossier's chain."""
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise InvalidInput(
            _("State the reason (e.g. the paper that proves the category)."), field="reason"
        )
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure_version")
            .get(pk=dossier.pk)
        )
        if not actor_matches(by, locked, frozenset({Actor.DESK})):
            raise NotAllowed(_("Only the receiving desk grants fee waivers for this dossier."))
        # A waiver changes what is owed: while the dossier is open and before any payment.
        if locked.status in TERMINAL_STATUSES:
            raise InvalidTransition(_("This dossier is closed; its fees no longer change."))
        if not categories_for(locked).filter(pk=category.pk).exists():
            raise InvalidInput(
                _("This category does not apply to this dossier's procedure."), field="category"
            )
        if Payment.objects.filter(
            dossier=locked, status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]
        ).exists():
            raise InvalidTransition(
                _(
                    "A payment is already recorded or in progress for this dossier; a waiver "
                    "is granted before payment."
                )
            )
        if FeeWaiver.objects.filter(dossier=locked, category=category.code).exists():
            raise InvalidInput(_("This waiver is already granted."), field="category")
        waiver = FeeWaiver.objects.create(
            dossier=locked,
            category=category.code,
            waiver_category=category,
            note=reason,
            recorded_by=by,
            recorded_at=at,
        )
        record_event(
            locked,
            verb=Verb.WAIVE,
            actor=by,
            at=at,
            payload={"category": category.code, "name": category.name, "reason": reason},
        )
    return waiver
