"""The desk's survey kiosk: a tablet page the desk officer opens for the applicant in front
of them, answering the open campaign's questionnaire about that dossier."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from backoffice.views import current_user
from dossiers.access import get_dossier_for_user
from orgs.access import has_role
from orgs.models import Role
from surveys.actions import already_answered, open_campaigns
from surveys.forms import QuestionnaireForm
from surveys.models import ResponseChannel

_BASE = "backoffice/kiosk.html"


@login_required
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """Show the questionnaire for the dossier; record the answer tied to it (once)."""
    user = current_user(request)
    dossier = get_dossier_for_user(user, code)
    if dossier is None:
        raise Http404
    if not has_role(user, Role.DESK_OFFICER, dossier.receiving_unit):
        raise PermissionDenied
    now = timezone.now()
    back = reverse("backoffice:dossier", args=[dossier.code])
    found = open_campaigns(now, dossier.receiving_unit)
    context: dict[str, object] = {"base": _BASE, "dossier": dossier, "back": back}
    if not found:
        return render(request, "backoffice/kiosk_closed.html", context)
    campaign = found[0]
    context["campaign"] = campaign
    if already_answered(campaign, dossier=dossier):
        return render(request, "portal/survey_done.html", {**context, "again": True})
    form = QuestionnaireForm(request.POST or None, campaign=campaign)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.record(
            campaign,
            unit=dossier.receiving_unit,
            channel=ResponseChannel.DESK,
            at=now,
            dossier=dossier,
        )
    ):
        return render(request, "portal/survey_done.html", context)
    return render(request, "portal/survey_form.html", {**context, "form": form})
