"""Messages to the applicant, written as outbox rows in the transaction of the change."""

from datetime import datetime
from typing import Any

from django.conf import settings

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
        Verb.TRANSFER,
        Verb.CLOSE_UNANSWERED,
    }
)


def _notification_kind(verb: Verb, to_status: str) -> str | None:
    if verb in _NOTIFY_ALWAYS:
        return str(verb)
    if verb is Verb.SUPPLEMENT and to_status == Status.IN_PROGRESS:
        # The complete dossier is back in processing: by default its time limit counted again
        # from zero (Decree 118 art. 19.5), so the applicant learns the new appointment.
        return str(verb)
    if to_status == Status.RESULT_READY:
        return "result_ready"
    return None


# What the officers wrote for each other and personal data beyond the applicant's own: kept in
# the event, never copied into a message to the applicant.
_INTERNAL = frozenset({"opinion", "comment", "assignee", "assignee_name", "collector_id_number"})


def _notify(dossier: Dossier, kind: str, at: datetime, **payload: Any) -> None:
    """Queue a message to the applicant on each channel in use (settings.NOTIFY_CHANNELS, and
    the in-app list of an applicant with an account); the notify app delivers after commit."""
    shared = {k: v for k, v in payload.items() if k not in _INTERNAL}
    base = {"code": dossier.code, "status": dossier.status, **shared}
    applicant = dossier.applicant_user if dossier.applicant_user_id else None
    for channel, recipient in (
        ("sms", dossier.applicant_phone),
        ("zalo", dossier.applicant_phone),
        ("email", dossier.applicant_email),
        ("app", applicant.get_username() if applicant is not None else ""),
    ):
        if recipient and (channel == "app" or channel in settings.NOTIFY_CHANNELS):
            OutboxMessage.objects.create(
                dossier=dossier,
                user=applicant if channel == "app" else None,
                kind=kind,
                channel=channel,
                recipient=recipient,
                payload=base,
                created_at=at,
            )
