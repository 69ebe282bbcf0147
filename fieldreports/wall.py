"""The field reports' tile on the operations centre's wall (ADR 29: listed in WALL_TILES)."""

from django.utils.translation import gettext as _

from fieldreports.figures import open_and_late
from lib.wall import Figure, Tile, WallScope


def field_reports_tile(scope: WallScope) -> Tile:
    """Field reports open now under the unit, and those past their deadline."""
    counts = open_and_late([scope.unit.path], scope.at)
    return Tile(
        key="field_reports",
        title=_("Field reports"),
        figures=[
            Figure(_("Open"), counts["open"]),
            Figure(_("Past their deadline"), counts["overdue"], alert=counts["overdue"] > 0),
        ],
    )
