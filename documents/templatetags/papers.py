"""Template filters for the official papers: dates and instants as Decree 30/2020 writes them."""

from datetime import date, datetime

from django import template

from documents import wording

register = template.Library()


@register.filter
def vn_date(value: date | datetime | None) -> str:
    """{{ at|vn_date }} -> "ngày 05 tháng 01 năm 2026"."""
    return wording.vn_date(value) if value else "ngày … tháng … năm …"


@register.filter
def vn_instant(value: datetime | None) -> str:
    """{{ at|vn_instant }} -> "17 giờ 00 phút, ngày 05 tháng 01 năm 2026"."""
    return wording.vn_instant(value)
