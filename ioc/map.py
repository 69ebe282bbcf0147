"""The map of units' on-time rates, drawn as SVG from our own data (no tile service).

Units carry no boundaries and no coordinates in our data (orgs.Unit has neither), so the map
says so and places the units on a plain grid in the order of their names; each cell shows the
unit's name and its on-time rate this month in words and colour, and the table beside it
repeats the numbers for screen readers.
"""

import math
from html import escape

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


def grid_svg(title: str, cells: list[tuple[str, RankedUnit | None]]) -> SafeString:
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
    title = _("On-time rate this month by unit")
    labels = band_labels()
    table = [
        (name, row, labels[rate_band(row.on_time_rate if row else None)]) for name, row in cells
    ]
    return render(
        request,
        "ioc/map.html",
        {
            "units": units,
            "unit": unit,
            "svg": grid_svg(title, cells),
            "title": title,
            "table": table,
            "legend": [(labels[b], c) for b, c in BAND_COLOURS.items()],
        },
    )
