"""Units by code and the agencies of units, cached per process for a few seconds.

Intake (benchmark P1) and every action resolve the same few units and agencies again and
again; they change a few times a year. A change made in this process is seen at once
(signals below); one made elsewhere within `lib.ttl.DEFAULT_TTL` seconds
(docs/adr/0010-per-process-lookup-caches.md). Cached rows are shared: never change them.
"""

from django.db.models.signals import post_delete, post_save

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
