"""Reveal a dossier's full personal data with a logged reason, and read that log (ADR 9)."""

import ipaddress
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import COLUMNS, PersonalDataView, PersonalField
from dossiers.models import Dossier
from lib.ids import mask
from orgs.access import unit_ids_for
from orgs.models import Role, Unit

if TYPE_CHECKING:
    from accounts.models import User

# Who reads the log: inspectors and system administrators, over the units below theirs.
LOG_READERS = frozenset({Role.INSPECTOR, Role.SYSADMIN})
MAX_REASON = 500


# What the desk page shows instead of the full value.
MASKED_ADDRESS = "••••••"


def masked_fields(dossier: Dossier) -> list[tuple[PersonalField, str]]:
    """The revealable fields of a dossier, each with what is shown until revealed."""
    id_number = dossier.applicant_id_number
    phone = dossier.applicant_phone
    address = dossier.applicant_address
    return [
        (PersonalField.ID_NUMBER, mask(id_number) if id_number else ""),
        (PersonalField.PHONE, mask(phone, keep=3) if phone else ""),
        (PersonalField.ADDRESS, MASKED_ADDRESS if address else ""),
    ]


class RevealRefused(Exception):
    """The reveal was refused; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_fields(names: list[str]) -> list[PersonalField]:
    """The revealable fields named, in a stable order; RevealRefused on an unknown one."""
    out: list[PersonalField] = []
    for name in names:
        try:
            f = PersonalField(name.strip())
        except ValueError:
            raise RevealRefused(
                _("%(name)s cannot be revealed (id_number, phone, address).") % {"name": name}
            ) from None
        if f not in out:
            out.append(f)
    return out


def reveal(
    user: "User",
    dossier: Dossier,
    fields: list[PersonalField],
    *,
    reason: str,
    at: datetime,
    client_address: str | None,
    channel: str,
) -> dict[PersonalField, str]:
    """Log one row per field (one transaction), then return the fields' full values.

    The caller has fetched `dossier` through its access helper: whoever may see the dossier
    may reveal, but never without a reason.
    """
    reason = reason.strip()
    if not reason:
        raise RevealRefused(_("Say why you need to see the full personal data."))
    if len(reason) > MAX_REASON:
        raise RevealRefused(_("The reason may have at most %(n)s characters.") % {"n": MAX_REASON})
    if not fields:
        raise RevealRefused(_("Choose which field to reveal."))
    with transaction.atomic():
        PersonalDataView.objects.bulk_create(
            PersonalDataView(
                user=user,
                at=at,
                dossier=dossier,
                field=f,
                reason=reason,
                client_address=ip_or_none(client_address),
                channel=channel,
            )
            for f in fields
        )
    return {f: getattr(dossier, COLUMNS[f]) for f in fields}


def ip_or_none(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def may_read_log(user: "User") -> bool:
    return bool(unit_ids_for(user, LOG_READERS))


def log_units(user: "User") -> QuerySet[Unit]:
    """The current units whose dossiers' views the user may read."""
    ids = unit_ids_for(user, LOG_READERS)
    return Unit.objects.filter(pk__in=ids).current_at(timezone.localdate()).order_by("path")


def log_for(
    user: "User",
    *,
    unit: Unit | None = None,
    start: date | None = None,
    end: date | None = None,
    person: str = "",
) -> QuerySet[PersonalDataView]:
    """Views of dossiers of the user's units (received or decided there), newest first,
    filtered by unit (and the units below it), local dates and username."""
    ids = unit_ids_for(user, LOG_READERS)
    if unit is not None:
        below = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
        ids &= below
    qs = PersonalDataView.objects.filter(
        Q(dossier__receiving_unit_id__in=ids) | Q(dossier__competent_unit_id__in=ids)
    )
    tz = timezone.get_current_timezone()
    if start is not None:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end is not None:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
    if person.strip():
        qs = qs.filter(user__username__icontains=person.strip())
    return qs.select_related("user", "dossier").order_by("-at", "-id")
