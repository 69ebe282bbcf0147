"""Who may read the figures of a unit."""

from typing import TYPE_CHECKING

from orgs.access import has_role, unit_ids_for
from orgs.models import Role, Unit

if TYPE_CHECKING:
    from accounts.models import User

# Watching roles see their unit's subtree (orgs.models.SUBTREE_ROLES); a leader sees the
# figures of the unit they lead.
FIGURE_ROLES = (Role.IOC_VIEWER, Role.INSPECTOR, Role.UNIT_ADMIN, Role.SYSADMIN, Role.LEADER)


def may_view_figures(user: "User", unit: Unit) -> bool:
    """Tell whether the user may read the report of `unit` (and what lies below it)."""
    return any(has_role(user, role, unit) for role in FIGURE_ROLES)


def watches_figures(user: "User") -> bool:
    """Tell whether the user may read the figures of some unit (the wall's audience)."""
    return bool(unit_ids_for(user, FIGURE_ROLES))
