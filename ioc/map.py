"""The map of units' on-time rates and open field reports, drawn as SVG from our own data
(no tile service).

Ward boundaries are not in our data. Points are: a unit's point (`fieldreports.UnitPlace`,
its office or centroid, entered by an administrator) and a report's coordinates. When every
unit shown has a point, they are drawn where they lie (equirectangular, scaled to the points'
box) with the open reports as small squares; otherwise the map says so and places the units on
a plain grid in the order of their names, each cell with its count of open reports. Each unit
shows its on-time rate this month in figures and words as well as colour, and the table beside
repeats the numbers for screen readers.
"""

import math
from html import escape

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fieldreports.models import FieldReport, UnitPlace
from ioc.templatetags.ioc import percent
from ioc.wall import chosen_unit, rate_band
from lib.wall import WallScope
from orgs.models import Unit
from stats.wall import RankedUnit, ranking

CELL_W, CELL_H = 180, 96
# Fill colours with at least 3:1 contrast on white (WCAG 1.4.11); the band is also written.
BAND_COLOURS = {"met": "#1a7f37", "near": "#9a6700", "below": "#a3141c", "none": "#59636e"}


def band_labels() -> dict[str, str]:
    return {
        "met": _("target met"),
        "near": _("within 10 points of the target"),
        "below": _("below the target"),
        "none": _("nothing resolved"),
    }


def _short(text: str, n: int = 19) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


REPORT_COLOUR = "#0b4f9c"
MAP_W = 720
REPORT_LIMIT = 2000


def _open(title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        'class="chart map" xmlns="http://www.w3.org/2000/svg" '
        'font-family="Liberation Sans, Arial, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]


def points_svg(
    title: str,
    cells: list[tuple[str, RankedUnit | None]],
    places: list[tuple[float, float]],
    reports: list[tuple[float, float]],
) -> SafeString:
    """Draw each unit at its point (`places`, in the order of `cells`) and each open report
    as a small square, in the box of all the points (equirectangular)."""
    lats = [p[0] for p in places + reports]
    longs = [p[1] for p in places + reports]
    squash = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(longs) - min(longs)) * squash, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    inner = MAP_W - 200
    height = int(min(900, max(240, inner * span_y / span_x))) + 60
    scale = min(inner / span_x, (height - 60) / span_y)

    def xy(lat: float, long: float) -> tuple[float, float]:
        return 20 + (long - min(longs)) * squash * scale, 30 + (max(lats) - lat) * scale

    out = _open(title, MAP_W, height)
    for lat, long in reports:
        x, y = xy(lat, long)
        out.append(
            f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{REPORT_COLOUR}"/>'
        )
    labels = band_labels()
    for (name, row), (lat, long) in zip(cells, places, strict=True):
        x, y = xy(lat, long)
        band = rate_band(row.on_time_rate if row else None)
        shown = percent(row.on_time_rate) if row else "—"
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{BAND_COLOURS[band]}"/>')
        out.append(
            f'<text x="{x + 12:.1f}" y="{y + 4:.1f}" fill="#1b1f24">'
            f"{escape(_short(name))} {escape(shown)}</text>"
        )
        out.append(f"<title>{escape(name)}: {escape(labels[band])}</title>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above


def grid_svg(
    title: str, cells: list[tuple[str, RankedUnit | None]], reports: list[int] | None = None
) -> SafeString:
    """Draw one cell per (unit name, its ranking row or None) on a plain grid."""
    columns = max(1, min(6, math.ceil(math.sqrt(len(cells)))))
    rows = max(1, math.ceil(len(cells) / columns))
    width, height = columns * CELL_W, rows * CELL_H
    labels = band_labels()
    out = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        'class="chart map" xmlns="http://www.w3.org/2000/svg" '
        'font-family="Liberation Sans, Arial, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (name, row) in enumerate(cells):
        x, y = (i % columns) * CELL_W, (i // columns) * CELL_H
        band = rate_band(row.on_time_rate if row else None)
        colour = BAND_COLOURS[band]
        out.append(
            f'<rect x="{x + 4}" y="{y + 4}" width="{CELL_W - 8}" height="{CELL_H - 8}" rx="6" '
            f'fill="#fff" stroke="{colour}" stroke-width="3"/>'
        )
        out.append(f'<circle cx="{x + 22}" cy="{y + 26}" r="9" fill="{colour}"/>')
        out.append(f'<text x="{x + 38}" y="{y + 31}" fill="#1b1f24">{escape(_short(name))}</text>')
        shown = percent(row.on_time_rate) if row else "—"
        out.append(
            f'<text x="{x + 16}" y="{y + 58}" fill="#1b1f24" font-size="18" '
            f'font-weight="bold">{escape(shown)}</text>'
        )
        out.append(
            f'<text x="{x + 16}" y="{y + 78}" fill="#1b1f24" font-size="11">'
            f"{escape(_short(labels[band], 30))}</text>"
        )
        if reports and reports[i]:
            out.append(
                f'<rect x="{x + CELL_W - 60}" y="{y + 44}" width="10" height="10" '
                f'fill="{REPORT_COLOUR}"/><text x="{x + CELL_W - 46}" y="{y + 54}" '
                f'fill="#1b1f24">{reports[i]}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    """Show the units below the chosen one on a grid, coloured by this month's on-time rate."""
    units, unit = chosen_unit(request)
    now = timezone.now()
    today = timezone.localtime(now).date()
    subtree = list(Unit.objects.subtree_of(unit).current_at(today).order_by("name"))
    scope = WallScope(unit=unit, unit_ids=[u.pk for u in subtree], at=now, today=today)
    by_code = {r.code: r for r in ranking(scope)}
    # The units below the chosen one; a unit without children is drawn alone.
    shown = [u for u in subtree if u.pk != unit.pk] or subtree
    cells = [(u.name, by_code.get(u.code)) for u in shown]
    title = _("On-time rate this month by unit, and open field reports")
    labels = band_labels()
    open_reports = FieldReport.objects.open().in_units([unit.path])
    per_unit = dict(
        open_reports.order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    counts = [per_unit.get(u.pk, 0) for u in shown]
    places = {
        p.unit_id: (float(p.lat), float(p.long)) for p in UnitPlace.objects.filter(unit__in=shown)
    }
    placed = all(u.pk in places for u in shown)
    if placed:
        located = open_reports.filter(lat__isnull=False, long__isnull=False).order_by("-pk")
        reports = [
            (float(lat), float(long))
            for lat, long in located.values_list("lat", "long")[:REPORT_LIMIT]
            if lat is not None and long is not None
        ]
        svg = points_svg(title, cells, [places[u.pk] for u in shown], reports)
    else:
        svg = grid_svg(title, cells, counts)
    table = [
        (name, row, labels[rate_band(row.on_time_rate if row else None)], n)
        for (name, row), n in zip(cells, counts, strict=True)
    ]
    return render(
        request,
        "ioc/map.html",
        {
            "units": units,
            "unit": unit,
            "svg": svg,
            "placed": placed,
            "title": title,
            "table": table,
            "legend": [(labels[b], c) for b, c in BAND_COLOURS.items()],
            "report_colour": REPORT_COLOUR,
        },
    )
