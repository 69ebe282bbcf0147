"""The operations centre's live wall at /ioc/ (ADR 29): tiles, the ranking of units, the map.

The tiles come from the providers listed in `settings.WALL_TILES` (dotted paths, imported
once), so an app below the web layer adds its tile with one line of settings and no import of
this module. The page polls its live part with htmx every `WALL_REFRESH_SECONDS`: one short
GET per screen, nothing held open in a sync worker.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ioc.views import viewable_units
from lib.wall import Tile, WallScope
from orgs.models import Unit
from stats.wall import RankedUnit, ranking

# Query parameters of the periodic report: an old bookmark of /ioc/?unit=..&start=.. (the
# report's address until the wall took it) is sent on to /ioc/report/.
REPORT_PARAMS = ("start", "end", "by", "format")


Provider = Callable[[WallScope], Tile | None]


@cache
def _imported(paths: tuple[str, ...]) -> list[Provider]:
    return [import_string(path) for path in paths]


def providers() -> list[Provider]:
    """The tile providers named in settings.WALL_TILES, each list imported once per process."""
    return _imported(tuple(settings.WALL_TILES))


@dataclass
class Snapshot:
    unit: Unit
    at: datetime
    tiles: list[Tile]
    ranking: list[RankedUnit]


def snapshot(unit: Unit, at: datetime) -> Snapshot:
    """Compute every tile and the ranking for `unit` and everything below it at `at`."""
    scope = WallScope(
        unit=unit,
        unit_ids=list(Unit.objects.subtree_of(unit).values_list("pk", flat=True)),
        at=at,
        today=timezone.localtime(at).date(),
    )
    tiles = [t for t in (provider(scope) for provider in providers()) if t is not None]
    return Snapshot(unit=unit, at=at, tiles=tiles, ranking=ranking(scope))


def chosen_unit(request: HttpRequest) -> tuple[list[Unit], Unit]:
    """The units in force the user may watch, and the one asked for (default: the first,
    the highest in the tree)."""
    units, _former = viewable_units(request.user)
    if not units:
        raise PermissionDenied(_("Your roles do not include reading figures."))
    code = request.GET.get("unit", "")
    unit = next((u for u in units if u.code == code), units[0])
    return units, unit


def rate_band(rate: Decimal | None) -> str:
    """The band a rate falls in against the target: met, near (within 10 points), below."""
    if rate is None:
        return "none"
    target = Decimal(settings.ON_TIME_TARGET)
    if rate >= target:
        return "met"
    return "near" if rate >= target - 10 else "below"


@login_required
def wall_page(request: HttpRequest) -> HttpResponse:
    """Show the wall; `?part=live` returns only the part the page refreshes."""
    if any(p in request.GET for p in REPORT_PARAMS):
        return redirect(f"/ioc/report/?{request.GET.urlencode()}")
    units, unit = chosen_unit(request)
    snap = snapshot(unit, timezone.now())
    rows = [(r, rate_band(r.on_time_rate)) for r in snap.ranking]
    context: dict[str, Any] = {
        "snap": snap,
        "rows": rows,
        "units": units,
        "unit": unit,
        "refresh": settings.WALL_REFRESH_SECONDS,
        "target": settings.ON_TIME_TARGET,
    }
    if request.GET.get("part") == "live":
        # Without the request: the desk's context processors (queue counts...) are for the
        # page's frame, not for the part each screen polls.
        return HttpResponse(render_to_string("ioc/wall_live.html", context))
    return render(request, "ioc/wall.html", context)
