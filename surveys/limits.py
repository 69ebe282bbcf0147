"""How many anonymous answers one client may give a campaign (the shared rate limiter)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest

from accounts.clientip import client_ip
from accounts.ratelimit import Limit, hit


def anonymous_answer_allowed(request: HttpRequest, campaign_id: int, *, at: datetime) -> bool:
    """Count one anonymous answer of this client to the campaign; False beyond
    SURVEY_ANONYMOUS_PER_DAY a day (answers tied to a dossier or account are limited by the
    database's one-answer constraints instead)."""
    limit = Limit(settings.SURVEY_ANONYMOUS_PER_DAY, timedelta(days=1))
    return hit(f"survey-answer:{campaign_id}:{client_ip(request)}", limit, at=at)
