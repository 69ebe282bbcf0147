"""Recording one filled questionnaire."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from orgs.models import Unit
from surveys.models import Answer, Campaign, Kind, Response, ResponseChannel

if TYPE_CHECKING:
    from accounts.models import User


class SurveyError(Exception):
    """A refused answer, with a message for the person answering."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _answer_row(question: Any, raw: Any) -> Answer:
    if question.kind == Kind.TEXT:
        text = str(raw).strip()
        if len(text) > 2000:
            raise SurveyError(_("An answer is limited to 2000 characters."))
        return Answer(question=question, text=text)
    if question.kind == Kind.SCALE:
        value = int(raw)
        if not 1 <= value <= question.scale_max:
            raise SurveyError(_("An answer is outside the scale of its question."))
        return Answer(question=question, value=value)
    choice = next((c for c in question.choices.all() if c.pk == int(raw)), None)
    if choice is None:
        raise SurveyError(_("An answer is not one of its question's choices."))
    return Answer(question=question, choice=choice)


def submit(
    campaign: Campaign,
    *,
    unit: Unit,
    answers: dict[int, Any],
    channel: ResponseChannel,
    at: datetime,
    dossier: Dossier | None = None,
    account: "User | None" = None,
) -> Response:
    """Record a response with its answers in one transaction.

    Refused (SurveyError) outside the campaign's period or when it is inactive, for a unit it
    does not cover, with a required question unanswered, and a second time for the same
    dossier or account (the database's unique constraints decide under concurrency).
    """
    if not campaign.accepts(at):
        raise SurveyError(_("This survey is not open at the moment."))
    if not campaign.covers(unit):
        raise SurveyError(_("This survey does not cover %(unit)s.") % {"unit": unit.name})
    rows = []
    for question in campaign.questions.prefetch_related("choices"):
        raw = answers.get(question.pk)
        if raw in (None, ""):
            if question.required:
                raise SurveyError(_("Please answer the question: %(q)s") % {"q": question.text})
            continue
        rows.append(_answer_row(question, raw))
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign=campaign,
                unit=unit,
                dossier=dossier,
                account=account,
                channel=channel,
                submitted_at=at,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        raise SurveyError(_("This survey has already been answered for you.")) from None
    return response


def already_answered(
    campaign: Campaign, *, dossier: Dossier | None = None, account: "User | None" = None
) -> bool:
    """Tell whether the dossier or the account has answered the campaign."""
    responses = Response.objects.filter(campaign=campaign)
    if dossier is not None and responses.filter(dossier=dossier).exists():
        return True
    return account is not None and responses.filter(account=account).exists()


def open_campaigns(at: datetime, unit: Unit | None = None) -> list[Campaign]:
    """The campaigns taking answers at `at` (about `unit` when given)."""
    day = timezone.localdate(at)
    campaigns = Campaign.objects.filter(active=True, starts_on__lte=day, ends_on__gte=day)
    found = list(campaigns.prefetch_related("units"))
    if unit is not None:
        found = [c for c in found if c.covers(unit)]
    return found
