"""The named values of a dossier's fields (statuses, channels, verdicts).

Apart from the models so that the domain modules the models use (`dossiers.timeliness`) can
name them without importing the models; `dossiers.models` re-exports every name.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """How a dossier arrived; the values are the national exchange codes (DOMAIN.md §5)."""

    DESK = "1", _("In person")
    ONLINE = "2", _("Online")
    POST = "3", _("Public postal service")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting receipt")
    IN_PROGRESS = "in_progress", _("In progress")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Awaiting supplement")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    STOPPED = "stopped", _("Stopped")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED})
TERMINAL_STATUSES = frozenset({Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.CANCELLED})


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied (with a written reason)")


class Punctuality(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class AttachmentPurpose(models.TextChoices):
    """Why a file was attached to a dossier."""

    INTAKE = "intake", _("Filed documents")
    SUPPLEMENT = "supplement", _("Supplement")
    RESULT = "result", _("Result")
    DRAFT = "draft", _("Draft result")


class StepKind(models.TextChoices):
    """What a workflow step is for, read from its role and place (dossiers.steps.step_kinds):
    it decides what forwarding from it asks for and how the timeline names it."""

    RECEIVE = "receive", _("Receipt of the dossier")
    ASSIGN = "assign", _("Assignment")
    APPRAISE = "appraise", _("Appraisal and draft")
    CHECK = "check", _("Check and submission")
    DECIDE = "decide", _("Decision and signature")
    ISSUE = "issue", _("Numbering and issue")
    RETURN = "return", _("Return of the result")
    OTHER = "other", _("Other processing")


class ReturnMethod(models.TextChoices):
    """How the applicant got the result (form 01's "where the result is collected")."""

    DESK = "desk", _("At the desk")
    POST = "post", _("By public post")
    ONLINE = "online", _("Online")


class MessageStatus(models.TextChoices):
    """Where an outbox message stands (GOV.UK Notify's statuses, ADR 17), plus `historical`:
    written before delivery existed or by the demo's history, never to be sent."""

    CREATED = "created", pgettext_lazy("message status", "created")
    SENDING = "sending", _("sending")
    DELIVERED = "delivered", _("delivered")
    TEMPORARY_FAILURE = "temporary-failure", _("temporary failure")
    PERMANENT_FAILURE = "permanent-failure", _("permanent failure")
    TECHNICAL_FAILURE = "technical-failure", _("technical failure")
    HISTORICAL = "historical", _("historical")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("email")
    ZALO = "zalo", _("Zalo")
    APP = "app", _("in the app")
