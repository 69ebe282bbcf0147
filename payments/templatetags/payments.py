"""`money`: an amount in đồng with the Vietnamese thousands separator (1.250.000)."""

from django import template

from lib.numwords import vnd_figures

register = template.Library()


@register.filter
def money(value: object) -> str:
    """1250000 -> "1.250.000"; anything not a whole number is shown as it is."""
    try:
        return vnd_figures(int(str(value)))
    except ValueError:
        return str(value)
