from typing import Any

from django import template

register = template.Library()


@register.filter
def count_of(counts: dict[Any, int], column: str) -> int:
    """Look up a report column by its value (`Column` is a str enum)."""
    return counts[column]
