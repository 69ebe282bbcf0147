"""`money`: an amount in đồng with the Vietnamese thousands separator (1.250.000)."""

from django import template

register = template.Library()


@register.filter
def money(value: object) -> str:
    """1250000 -> "1.250.000"; anything not a whole number is shown as it is."""
    try:
        return f"{int(str(value)):,}".replace(",", ".")
    except ValueError:
        return str(value)
