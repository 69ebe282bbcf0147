"""The public catalogue (công khai thủ tục hành chính): what is in force, how it is found,
and where each procedure can be filed.

Where a procedure can be filed follows intake's rule (`default_competent_unit` below, used by
`dossiers.actions.file_dossier`): a commune-level procedure is decided by the ward or commune that
receives it, a province-level one by its province. So a unit can take a dossier when it has an
active one-stop desk and the deciding unit has an active agency of the version's competent kind.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from catalog.models import Level, ProcedureVersion, RequiredDocument, StepUnit, WorkflowStep
from lib.text import fold
from lib.ttl import TtlCache
from orgs.models import ONE_STOP_DESK, Agency, AgencyKind, Unit

# (version id, receiving unit id, day) -> the competent units, default first. Every dossier
# page and the intake's answer ask (the transfer guard); units and agencies change a few times
# a year: cached per process like orgs.lookups (docs/adr/0010-per-process-lookup-caches.md).
_competent: TtlCache[list[Unit]] = TtlCache("competent-units")
for _model in (Unit, Agency, AgencyKind, WorkflowStep):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _competent.clear, sender=_model, dispatch_uid=f"competent-{_model.__name__}"
        )


def in_force() -> QuerySet[ProcedureVersion]:
    """The published version of every procedure in force, with what the list shows."""
    return (
        ProcedureVersion.objects.published()
        .filter(procedure__is_active=True)
        .select_related("procedure__field", "competent_agency_kind")
        .order_by("procedure__field__name", "procedure__code")
    )


def version_in_force(code: str) -> ProcedureVersion | None:
    """The version in force of procedure `code` (None if unknown, retired or unpublished)."""
    return in_force().filter(procedure__code=code.strip()).first()


def search(
    qs: QuerySet[ProcedureVersion], text: str = "", field: str = "", level: str = ""
) -> QuerySet[ProcedureVersion]:
    """Narrow `qs` by words (without diacritics, or a code), field code and level."""
    words = fold(text)
    if words:
        qs = qs.filter(Q(procedure__name_folded__contains=words) | Q(procedure__code=words))
    if field:
        qs = qs.filter(procedure__field__code=field)
    if level in Level.values:
        qs = qs.filter(level=level)
    return qs


def desk_units(on: date | None = None) -> QuerySet[Unit]:
    """Units in force with an active one-stop desk: where a citizen can hand in a dossier."""
    day = on or timezone.localdate()
    desks = Agency.objects.filter(kind__code=ONE_STOP_DESK, is_active=True)
    return Unit.objects.current_at(day).filter(pk__in=desks.values("unit_id")).order_by("path")


def _root(unit: Unit) -> int:
    return int(unit.path.strip("/").split("/")[0])


def filed_at(qs: QuerySet[ProcedureVersion], unit: Unit) -> QuerySet[ProcedureVersion]:
    """Narrow `qs` to the versions a dossier can be filed under at `unit`'s desk."""
    active = Agency.objects.filter(is_active=True)
    here = active.filter(unit=unit).values("kind_id")
    at_root = active.filter(unit_id=_root(unit)).values("kind_id")
    commune = Q(level=Level.COMMUNE, competent_agency_kind__in=here)
    if unit.parent_id is None:
        commune = Q(pk__in=[])  # a province decides province-level procedures only
    return qs.filter(commune | Q(level=Level.PROVINCE, competent_agency_kind__in=at_root))


def filing_units(version: ProcedureVersion) -> list[Unit]:
    """The units whose desk takes dossiers of `version`, in tree order."""
    kind_agencies = Agency.objects.filter(is_active=True, kind_id=version.competent_agency_kind_id)
    units = desk_units()
    if version.level == Level.PROVINCE:
        roots = Unit.objects.filter(parent__isnull=True, pk__in=kind_agencies.values("unit_id"))
        prefixes = Q(pk__in=[])
        for root in roots:
            prefixes |= Q(path__startswith=root.path)
        return list(units.filter(prefixes))
    return list(units.filter(parent__isnull=False, pk__in=kind_agencies.values("unit_id")))


def default_competent_unit(version: ProcedureVersion, receiving: Unit) -> Unit:
    """Return who decides unless the desk chooses otherwise: the receiving ward or commune,
    or its province for a province-level procedure."""
    if version.level == Level.PROVINCE:
        return Unit.objects.get(pk=_root(receiving))
    return receiving


def competent_units(
    version: ProcedureVersion, receiving: Unit, on: date | None = None
) -> list[Unit]:
    """The units a desk at `receiving` may route a dossier of `version` to, the default first.

    Decree 118/2025 (arts. 3.6-3.7, 14.2, 20) lets a desk receive regardless of administrative
    boundaries and pass the dossier to the competent body: within the receiving unit's
    province, a unit of the version's level in force on `on` whose active agencies include
    every kind the workflow needs at the competent unit (the desk's steps stay at the
    receiving unit; steps placed at the province are the province's).
    """
    day = on or timezone.localdate()
    units = _competent.get(
        (version.pk, receiving.pk, day), lambda: _competent_units(version, receiving, day)
    )
    return list(units or [])  # a copy: the cached rows are shared, never change them


def _competent_units(version: ProcedureVersion, receiving: Unit, day: date) -> list[Unit]:
    default = default_competent_unit(version, receiving)
    needed = {version.competent_agency_kind_id} | {
        s.agency_kind_id
        for s in version.steps.select_related("agency_kind")
        if s.agency_kind.code != ONE_STOP_DESK and s.unit == StepUnit.COMPETENT
    }
    root = Unit.objects.get(pk=_root(receiving))
    candidates = Unit.objects.current_at(day).filter(path__startswith=root.path)
    if version.level == Level.PROVINCE:
        candidates = candidates.filter(parent__isnull=True)
    else:
        candidates = candidates.filter(parent__isnull=False)
    for kind_id in needed:
        candidates = candidates.filter(
            pk__in=Agency.objects.filter(is_active=True, kind_id=kind_id).values("unit_id")
        )
    return [default, *(u for u in candidates.order_by("path") if u.pk != default.pk)]


def documents(version: ProcedureVersion) -> list[RequiredDocument]:
    """The documents to hand in under `version`, in order."""
    return list(version.documents.order_by("position"))


def is_online(version: ProcedureVersion) -> bool:
    """Whether a dossier of `version` can be filed online (fully or partly)."""
    return version.allows_online_full or version.allows_online_partial
