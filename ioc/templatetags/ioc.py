from decimal import Decimal
from typing import Any

from django import template

from lib.wall import Figure
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


@register.filter
def dotted(value: int | None) -> str:
    """A count with dots between thousands, as Vietnamese writes it."""
    if value is None or value == "":  # "" is what a template gives for a missing row
        return "—"
    return f"{int(value):,}".replace(",", ".")


@register.filter
def percent(value: Decimal | float | None) -> str:
    """A rate with a decimal comma and two decimals, "—" when there is nothing to divide."""
    if value is None or value == "":  # "" is what a template gives for a missing row
        return "—"
    return f"{float(value):.2f}".replace(".", ",") + "%"


@register.filter
def figure_value(figure: Figure) -> str:
    """A wall figure's value in its unit."""
    return percent(figure.value) if figure.unit == "%" else dotted(figure.value)  # type: ignore[arg-type]
