"""Per-request facts every desk page shows: the user's units, the active unit, queue counts."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from audit.access import LOG_READERS
from dossiers.queues import QUEUE_LABELS, Queue, Scope, counts
from orgs.access import staff_roles
from orgs.models import Role, Unit
from stats.access import FIGURE_ROLES

SESSION_UNIT = "motcua_unit"


def served_units(request: HttpRequest) -> list[Unit]:
    """Units where the signed-in user holds any role, in tree order."""
    seen: dict[int, Unit] = {}
    for sr in staff_roles(request.user):  # type: ignore[arg-type]
        seen.setdefault(sr.unit_id, sr.unit)
    return sorted(seen.values(), key=lambda u: u.path)


def active_unit(request: HttpRequest) -> Unit | None:
    """The unit chosen in the switcher (None: all the user's units)."""
    wanted = request.session.get(SESSION_UNIT)
    for unit in served_units(request):
        if unit.pk == wanted:
            return unit
    return None


def desk(request: HttpRequest) -> dict[str, object]:
    """Template context for desk pages (a context processor, cheap for anonymous users)."""
    # The path first: reading request.user touches the session, which marks the response
    # "Vary: Cookie", and the public pages must stay the same for everyone (portal/sw.js).
    if not request.path.startswith(("/desk/", "/ioc/")) or not request.user.is_authenticated:
        return {}
    unit = active_unit(request)
    scope = Scope.of(request.user, unit)
    queue_counts = counts(scope, timezone.now(), unit)
    return {
        "served_units": served_units(request),
        "active_unit": unit,
        "my_roles": staff_roles(request.user),
        "queues": [(q, QUEUE_LABELS[q], queue_counts[q]) for q in Queue],
        "is_desk_officer": bool(scope.desk_unit_ids),
        "can_view_figures": any(sr.role in FIGURE_ROLES for sr in staff_roles(request.user)),
        "is_unit_admin": any(sr.role == Role.UNIT_ADMIN for sr in staff_roles(request.user)),
        "can_read_access_log": any(sr.role in LOG_READERS for sr in staff_roles(request.user)),
        "bell_seconds": settings.NOTIFY_BELL_SECONDS,
    }
