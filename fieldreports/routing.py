"""Where a field report goes: the unit where it happened and the agency for its category.

Our units carry no boundaries, so the place is found, in this order, from:

1. `jurisdiction_id`: the code of a unit in force (Open311's field for endpoints serving
   several jurisdictions; the city app sends the ward the reporter picked);
2. `address_string`: the most specific unit in force whose name appears in the address,
   diacritics and case ignored ("… phuong An Binh" finds Phường An Bình);
3. `lat`/`long`: the unit in force with the nearest point (`UnitPlace`, our own data: an
   office or a centroid); nothing when no unit has a point.

The agency is the unit's active agency of the category's kind; none means the unit's
leaders answer it. The deadline is `Category.deadline_hours` working hours in the routed
unit's calendar (workdays.calendar_for), counted from the next working instant.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from fieldreports.models import Category, UnitPlace
from lib.text import fold
from orgs.lookups import active_agencies
from orgs.models import Agency, Unit
from workcal.limits import Limit
from workdays.calendars import calendar_for


@dataclass(frozen=True)
class Route:
    unit: Unit
    agency: Agency | None
    expected_at: datetime


def _by_address(address: str, at: datetime) -> Unit | None:
    folded = " " + " ".join(fold(address).replace(",", " ").replace(".", " ").split()) + " "
    best: Unit | None = None
    for unit in Unit.objects.current_at(at.date()).only("id", "name", "path", "code"):
        name = fold(unit.name)
        found = name and f" {name} " in folded
        if found and (best is None or len(unit.path) > len(best.path)):
            best = unit
    return best


def _distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _nearest(lat: Decimal, long: Decimal, at: datetime) -> Unit | None:
    places = UnitPlace.objects.filter(unit__in=Unit.objects.current_at(at.date())).select_related(
        "unit"
    )
    best = min(
        places,
        key=lambda p: (_distance(float(lat), float(long), float(p.lat), float(p.long)), p.pk),
        default=None,
    )
    return best.unit if best is not None else None


def locate(
    *,
    jurisdiction_id: str = "",
    address: str = "",
    lat: Decimal | None = None,
    long: Decimal | None = None,
    at: datetime,
) -> Unit | None:
    """The unit where the report happened, or None when nothing given places it."""
    if jurisdiction_id:
        unit = Unit.objects.by_code(jurisdiction_id.strip(), on=at.date())
        if unit is not None:
            return unit
    if address:
        unit = _by_address(address, at)
        if unit is not None:
            return unit
    if lat is not None and long is not None:
        return _nearest(lat, long, at)
    return None


def route(category: Category, unit: Unit, at: datetime) -> Route:
    """The agency that answers `category` in `unit`, and the deadline for a report at `at`."""
    agency = None
    if category.agency_kind:
        agency = active_agencies(unit.pk).get((unit.pk, category.agency_kind))
    expected = calendar_for(unit).due(at, Limit.hours(category.deadline_hours))
    return Route(unit=unit, agency=agency, expected_at=expected)
