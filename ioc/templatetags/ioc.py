from typing import Any

from django import template

from orgs.lookups import in_force_label, unit_key
from orgs.models import Unit

register = template.Library()


@register.filter
def count_of(counts: dict[Any, int], column: str) -> int:
    """Look up a report column by its value (`Column` is a str enum)."""
    return counts[column]


@register.filter(name="unit_key")
def unit_key_filter(unit: Unit) -> str:
    """The unit's code for a link, exact for a former unit (`orgs.lookups.unit_key`)."""
    return unit_key(unit)


@register.filter(name="in_force")
def in_force_filter(unit: Unit) -> str:
    """The unit's name, with its days in force for a former unit."""
    return in_force_label(unit)
