"""Units by code and the agencies of units, cached per process for a few seconds.

Intake (benchmark P1) and every action resolve the same few units and agencies again and
again; they change a few times a year. A change made in this process is seen at once
(signals below); one made elsewhere within `lib.ttl.DEFAULT_TTL` seconds
(docs/adr/0010-per-process-lookup-caches.md). Cached rows are shared: never change them.
"""

from datetime import date

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from lib.ttl import TtlCache
from orgs.models import Agency, AgencyKind, Unit

_units: TtlCache[Unit] = TtlCache("current-units")
# (unit ids) -> {(unit id, agency kind code): active agency}, with kind and unit loaded.
_agencies: TtlCache[dict[tuple[int, str], Agency]] = TtlCache("active-agencies")

for _model in (Unit, Agency, AgencyKind):
    for _signal in (post_save, post_delete):
        _signal.connect(_units.clear, sender=_model, dispatch_uid=f"units-{_model.__name__}")
        _signal.connect(_agencies.clear, sender=_model, dispatch_uid=f"agencies-{_model.__name__}")


def current_unit(code: str) -> Unit | None:
    """Return the unit in force that bears `code`, or None (cached; see the module)."""
    return _units.get(code, lambda: Unit.objects.by_code(code))


def active_agencies(*unit_ids: int) -> dict[tuple[int, str], Agency]:
    """Return the active agencies of these units by (unit id, kind code) (cached)."""
    key = tuple(sorted(set(unit_ids)))

    def load() -> dict[tuple[int, str], Agency]:
        rows = Agency.objects.filter(unit_id__in=key, is_active=True).select_related("kind", "unit")
        return {(a.unit_id, a.kind.code): a for a in rows}

    return _agencies.get(key, load) or {}


def unit_key(unit: Unit) -> str:
    """Name a unit in a form or link: its code, and for a former unit the last day it was in
    force too ("29954@2025-06-30"), since codes are reused (ADR 1)."""
    if unit.valid_until is None:
        return unit.code
    return f"{unit.code}@{unit.valid_until.isoformat()}"


def unit_for_period(key: str, start: date, end: date) -> Unit | None:
    """Resolve a unit code as of the period [start, end] (ADR 1 and 20).

    A bare code names the unit that bore it during the period (the one in force on its last
    day, else the latest in force on some day of it): `29977` for the first half of 2019 is
    the commune merged in 2025. A key from `unit_key` names one unit exactly, whatever the
    period; None when no unit answers.
    """
    code, _sep, day = key.strip().partition("@")
    if day:
        try:
            on = date.fromisoformat(day)
        except ValueError:
            return None
        return Unit.objects.by_code(code, on=on)
    return Unit.objects.by_code_between(code, start, end)


def in_force_label(unit: Unit) -> str:
    """The unit's name, and for a former unit the days it was in force (dd/mm/yyyy)."""
    if unit.valid_until is None:
        return unit.name
    if unit.valid_from is None:
        return _("%(name)s (until %(until)s)") % {
            "name": unit.name,
            "until": f"{unit.valid_until:%d/%m/%Y}",
        }
    return _("%(name)s (%(since)s – %(until)s)") % {
        "name": unit.name,
        "since": f"{unit.valid_from:%d/%m/%Y}",
        "until": f"{unit.valid_until:%d/%m/%Y}",
    }
