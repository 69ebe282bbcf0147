"""Public pages citizens reach without an account: the status of a dossier from its receipt."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dossiers.access import get_dossier_by_receipt
from lib.text import mask_name


def lookup(request: HttpRequest) -> HttpResponse:
    """Ask for the dossier code and the PIN printed on the receipt."""
    code = request.GET.get("code", "").strip()
    pin = request.GET.get("pin", "").strip()
    if code and pin:
        return redirect(f"/tra-cuu/{code}/?pin={pin}")
    return render(request, "portal/lookup.html", {"code": code})


def status(request: HttpRequest, code: str) -> HttpResponse:
    """Show where a dossier stands; nothing personal beyond the applicant's initials."""
    dossier = get_dossier_by_receipt(code, request.GET.get("pin", ""))
    if dossier is None:
        return render(
            request,
            "portal/lookup.html",
            {"code": code, "error": _("The dossier code or the lookup PIN is wrong.")},
            status=404,
        )
    return render(
        request,
        "portal/status.html",
        {"d": dossier, "initials": mask_name(dossier.applicant_name)},
    )
