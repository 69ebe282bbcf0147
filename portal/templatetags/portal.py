"""Filters of the public pages: amounts in đồng, time limits in words."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import ProcedureVersion
from lib.numwords import vnd_figures
from workcal import LimitUnit

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """1000000 -> "1.000.000 đ" (Vietnamese thousands separator)."""
    return f"{vnd_figures(int(amount or 0))} đ"


@register.filter
def limit_words(version: ProcedureVersion) -> str:
    """The legal time limit as the catalogue prints it: "05 ngày làm việc", "Trong ngày"."""
    if version.limit_unit == LimitUnit.SAME_DAY:
        return _("Within the day")
    n = version.limit_amount
    if version.limit_unit == LimitUnit.HOURS:
        return ngettext("%(n)s working hour", "%(n)s working hours", n) % {"n": f"{n:02d}"}
    return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": f"{n:02d}"}
