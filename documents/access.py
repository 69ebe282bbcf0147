"""Who may print a unit's tracking book, and how a book leaves the server."""

from datetime import date
from typing import TYPE_CHECKING

from django.http import HttpResponse

from orgs.access import has_role, unit_ids_for
from orgs.models import Role, Unit

if TYPE_CHECKING:
    from accounts.models import User

BOOK_ROLES = (
    Role.DESK_OFFICER,
    Role.LEADER,
    Role.UNIT_ADMIN,
    Role.SYSADMIN,
    Role.IOC_VIEWER,
    Role.INSPECTOR,
)
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_print_book(user: "User", unit: Unit) -> bool:
    """Desk officers and leaders of the unit, and those who watch or run it."""
    return any(has_role(user, role, unit) for role in BOOK_ROLES)


def former_book_units(user: "User", today: date) -> list[Unit]:
    """Units no longer in force (merged, dissolved) whose book the user may print, in tree
    order: those the watching roles reach through successor links (`orgs.access`)."""
    ids = unit_ids_for(user, BOOK_ROLES)
    return list(Unit.objects.filter(pk__in=ids, valid_until__lt=today).order_by("path"))


def book_response(content: bytes, fmt: str, code: str, start: date, end: date) -> HttpResponse:
    response = HttpResponse(content, content_type=MIME[fmt])
    name = f"so-theo-doi-{code}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
