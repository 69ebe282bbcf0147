"""Messages to the applicant, written as outbox rows in the transaction of the change."""

from datetime import datetime
from typing import Any

from dossiers.models import Dossier, OutboxMessage, Status
from dossiers.workflow import Verb

# Verbs whose outcome the applicant is told about; forwarding and approving only tell them
# when the result becomes ready at the desk.
_NOTIFY_ALWAYS = frozenset(
    {
        Verb.ACCEPT,
        Verb.REQUEST_SUPPLEMENT,
        Verb.REFUSE,
        Verb.RETURN_RESULT,
        Verb.STOP,
        Verb.APOLOGIZE,
    }
)


def _notification_kind(verb: Verb, to_status: str) -> str | None:
    if verb in _NOTIFY_ALWAYS:
        return str(verb)
    if to_status == Status.RESULT_READY:
        return "result_ready"
    return None


def _notify(dossier: Dossier, kind: str, at: datetime, **payload: Any) -> None:
    """Queue a message to the applicant; delivery happens after commit, elsewhere."""
    base = {"code": dossier.code, "status": dossier.status, **payload}
    for channel, recipient in (
        ("sms", dossier.applicant_phone),
        ("email", dossier.applicant_email),
    ):
        if recipient:
            OutboxMessage.objects.create(
                dossier=dossier,
                kind=kind,
                channel=channel,
                recipient=recipient,
                payload=base,
                created_at=at,
            )
