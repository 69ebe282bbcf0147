"""What every public page's header shows: the province, the unit, the emblem (settings only,
so the error pages can use it without touching the database)."""

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    """Template context for the portal's header band (a context processor)."""
    return {"portal": portal_names()}


def portal_names() -> dict[str, str]:
    """The header band's names and emblem, from the settings."""
    return {
        "province": settings.PORTAL_PROVINCE_NAME,
        "unit": settings.PORTAL_UNIT_NAME,
        "emblem": settings.PORTAL_EMBLEM,
    }
