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
    if dossier.applicant_phone:
        OutboxMessage.objects.create(
            dossier=dossier,
            kind=kind,
            channel="sms",
            recipient=dossier.applicant_phone,
            payload=base,
            created_at=at,
        )
    if dossier.applicant_email:
        OutboxMessage.objects.create(
            dossier=dossier,
            kind=kind,
            channel="email",
            recipient=dossier.applicant_email,
            payload=base,
            created_at=at,
        )
