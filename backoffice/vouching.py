"""The desk page where an officer who saw a citizen's ID card vouches for the number on the
citizen's account (citizens.actions.vouch_id_number)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.clientip import client_ip
from accounts.models import User
from backoffice.context import active_unit, served_units
from citizens.actions import VouchError, citizen_with_contact, vouch_id_number
from citizens.contacts import parse_contact
from lib.ids import mask
from lib.validate import Invalid, text_problem
from orgs.access import has_role
from orgs.models import Role, Unit


def _desk_unit(request: HttpRequest, user: User) -> Unit:
    units = [u for u in served_units(request) if has_role(user, Role.DESK_OFFICER, u)]
    if not units:
        raise PermissionDenied
    chosen = active_unit(request)
    return chosen if chosen in units else units[0]


@login_required
@require_http_methods(["GET", "POST"])
def vouch(request: HttpRequest) -> HttpResponse:
    """Find a citizen account by its confirmed phone or email; vouch for the ID number seen."""
    officer = request.user
    assert isinstance(officer, User)
    unit = _desk_unit(request, officer)
    typed = (request.POST.get("contact") or request.GET.get("contact") or "").strip()
    context: dict[str, object] = {"contact": typed, "unit": unit}
    account = None
    if typed:
        problem = text_problem(typed, max_length=254)
        parsed = problem or parse_contact(typed)
        if isinstance(parsed, Invalid):
            context["error"] = parsed.say(_)
        else:
            account = citizen_with_contact(parsed)
            if account is None:
                context["error"] = _("No citizen account has this confirmed phone or email.")
    context["account"] = account
    if account is not None:
        context["id_masked"] = mask(account.id_number) if account.id_number else ""
    if request.method == "POST" and account is not None:
        id_number = request.POST.get("id_number", "").strip()
        if request.POST.get("seen") != "1":
            context["error"] = _("Confirm that you saw the citizen's ID card.")
        else:
            try:
                vouch_id_number(
                    officer=officer,
                    citizen=account,
                    id_number=id_number,
                    unit=unit,
                    at=timezone.now(),
                    client=client_ip(request),
                )
            except VouchError as exc:
                context["error"] = exc.message
                context["id_number"] = id_number
            else:
                messages.success(
                    request,
                    _("The ID number of %(name)s is vouched for.") % {"name": account.full_name},
                )
                return redirect("backoffice:vouch")
    status = 400 if request.method == "POST" and "error" in context else 200
    return render(request, "backoffice/vouch.html", context, status=status)
