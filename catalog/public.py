"""The public catalogue (công khai thủ tục hành chính): what is in force, how it is found,
and where each procedure can be filed.

Where a procedure can be filed follows intake's rule (`dossiers.actions.filing.
default_competent_unit`): a commune-level procedure is decided by the ward or commune that
receives it, a province-level one by its province. So a unit can take a dossier when it has an
active one-stop desk and the deciding unit has an active agency of the version's competent kind.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models import Level, ProcedureVersion, RequiredDocument
from lib.text import fold
from orgs.models import ONE_STOP_DESK, Agency, Unit


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


def documents(version: ProcedureVersion) -> list[RequiredDocument]:
    """The documents to hand in under `version`, in order."""
    return list(version.documents.order_by("position"))


def is_online(version: ProcedureVersion) -> bool:
    """Whether a dossier of `version` can be filed online (fully or partly)."""
    return version.allows_online_full or version.allows_online_partial
