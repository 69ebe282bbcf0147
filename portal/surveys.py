"""Satisfaction surveys on the public side: open campaigns, the anonymous questionnaire (tied
to the account when a citizen is signed in) and the link sent with a returned result."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.ratelimit import limit_requests, limited_response
from dossiers.models import Dossier
from surveys.actions import already_answered, open_campaigns
from surveys.forms import QuestionnaireForm
from surveys.limits import anonymous_answer_allowed
from surveys.models import Campaign, ResponseChannel
from surveys.tokens import read_token

_limit = limit_requests("survey", "RATE_LIMIT_PUBLIC_PER_MINUTE")


@_limit
def campaigns(request: HttpRequest) -> HttpResponse:
    """The campaigns taking answers today."""
    return render(request, "portal/survey_list.html", {"campaigns": open_campaigns(timezone.now())})


@_limit
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill a campaign's questionnaire: anonymous, or once per signed-in citizen account."""
    now = timezone.now()
    campaign = get_object_or_404(Campaign, pk=pk, active=True)
    user = request.user if request.user.is_authenticated and request.user.is_citizen else None
    context: dict[str, object] = {"campaign": campaign}
    if not campaign.accepts(now):
        return render(request, "portal/survey_closed.html", context, status=410)
    if user is not None and already_answered(campaign, account=user):
        return render(request, "portal/survey_done.html", {**context, "again": True})
    units = list(campaign.covered_units(now))
    form = QuestionnaireForm(request.POST or None, campaign=campaign, units=units)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        if user is None and not anonymous_answer_allowed(request, campaign.pk, at=now):
            return limited_response(request, retry_after=24 * 3600)
        if form.record(campaign, unit=unit, channel=ResponseChannel.PORTAL, at=now, account=user):
            return render(request, "portal/survey_done.html", context)
    return render(request, "portal/survey_form.html", {**context, "form": form})


@_limit
def link(request: HttpRequest, token: str) -> HttpResponse:
    """Fill the questionnaire through the signed link of one dossier (once per campaign)."""
    now = timezone.now()
    dossier_id = read_token(token) if len(token) <= 100 else None
    dossier = None
    if dossier_id is not None:
        dossier = Dossier.objects.select_related("receiving_unit").filter(pk=dossier_id).first()
    if dossier is None:
        raise Http404(_("This survey link is not valid or has expired."))
    found = open_campaigns(now, dossier.receiving_unit)
    if not found:
        return render(request, "portal/survey_closed.html", {}, status=410)
    campaign = found[0]
    context: dict[str, object] = {"campaign": campaign, "dossier": dossier}
    if already_answered(campaign, dossier=dossier):
        return render(request, "portal/survey_done.html", {**context, "again": True})
    form = QuestionnaireForm(request.POST or None, campaign=campaign)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.record(
            campaign,
            unit=dossier.receiving_unit,
            channel=ResponseChannel.LINK,
            at=now,
            dossier=dossier,
        )
    ):
        return render(request, "portal/survey_done.html", context)
    return render(request, "portal/survey_form.html", {**context, "form": form})
