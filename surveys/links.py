"""The survey link in the message that tells the applicant the result was returned.

A follow-up of the transition engine (registered in `SurveysConfig.ready`, like payments'):
in the transaction of `return_result`, when a campaign covering the receiving unit is open,
it puts the dossier's signed link (`surveys.tokens`) into the queued messages' payload as the
`{survey}` placeholder, which the `return_result` template may name (notify.render).
"""

from datetime import datetime

from dossiers.models import Dossier, OutboxMessage
from dossiers.workflow import Verb
from surveys.actions import open_campaigns
from surveys.tokens import survey_url


def add_survey_link(dossier: Dossier, verb: Verb, at: datetime) -> None:
    """Add `survey` to the payload of the `return_result` messages just queued."""
    if verb != Verb.RETURN_RESULT or not open_campaigns(at, dossier.receiving_unit):
        return
    url = survey_url(dossier.pk)
    queued = OutboxMessage.objects.filter(dossier=dossier, kind="return_result", created_at=at)
    for message in queued:
        message.payload = {**message.payload, "survey": url}
        message.save(update_fields=["payload"])
