"""What the pages and the API read: a user's in-app messages, a citizen's messages and
opt-outs, a dossier's notifications (recipients masked)."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dossiers.choices import MessageChannel, MessageStatus
from dossiers.models import Dossier, OutboxMessage, Status
from dossiers.workflow import VERB_LABELS
from lib.ids import mask_contact
from notify.models import OptOut, Template
from notify.render import TemplateProblem, fill, values_for

if TYPE_CHECKING:
    from accounts.models import User

# A citizen may opt out of these (never of the in-app list).
OPTIONAL_CHANNELS = (MessageChannel.SMS, MessageChannel.EMAIL, MessageChannel.ZALO)
PAGE = 50

# The events that are neither a workflow verb nor a status (those are named by
# dossiers.workflow.VERB_LABELS and Status).
OTHER_EVENTS = {
    "received": _("Received"),
    "reappointed": _("New appointment"),
    "payment_due": _("Fees due"),
    "payment_received": _("Fees received"),
    "step_due_soon": _("Step due soon"),
    "step_overdue": _("Step overdue"),
    "field_report_due_soon": _("Field report due soon"),
    "field_report_overdue": _("Field report overdue"),
    "digest": _("Daily digest"),
    "signup_code": _("Sign-up code"),
    "reset_code": _("Password reset code"),
    "signup_account_exists": _("Sign-up with an existing contact"),
    "id_vouched": _("ID number vouched for"),
}


def event_label(kind: str) -> str:
    """The event of a message in words (its kind when nothing names it)."""
    if kind in OTHER_EVENTS:
        return str(OTHER_EVENTS[kind])
    if kind in VERB_LABELS:
        return str(VERB_LABELS[kind])  # type: ignore[index]
    if kind in Status.values:
        return str(Status(kind).label)
    return kind


def in_app(user: "User") -> QuerySet[OutboxMessage]:
    """The user's delivered in-app messages, newest first."""
    return OutboxMessage.objects.filter(
        user=user, channel=MessageChannel.APP, status=MessageStatus.DELIVERED
    ).order_by("-created_at", "-pk")


def unread_count(user: "User") -> int:
    return in_app(user).filter(read_at__isnull=True).count()


def mark_read(user: "User", at: datetime) -> int:
    """Mark all the user's in-app messages read; return how many were unread."""
    return in_app(user).filter(read_at__isnull=True).update(read_at=at)


def text_of(message: OutboxMessage) -> str:
    """The message's text as its channel's template says (the in-app list shows it)."""
    template = Template.objects.filter(event=message.kind, channel=message.channel).first()
    if template is None:
        return message.kind
    try:
        return fill(template.body, values_for(message))
    except TemplateProblem:
        return message.kind


def with_texts(messages: QuerySet[OutboxMessage]) -> list[tuple[OutboxMessage, str]]:
    rows = messages.select_related(
        "dossier__procedure_version__procedure", "dossier__receiving_unit"
    )[:PAGE]
    return [(m, text_of(m)) for m in rows]


def citizen_messages(user: "User") -> QuerySet[OutboxMessage]:
    """Messages to a citizen, on every channel: to their account or about their filings."""
    return (
        # About their filings: the rows addressed to the applicant (no user), never the
        # messages to the staff handling the dossier (warnings carry the officer as user).
        OutboxMessage.objects.filter(
            Q(user=user) | Q(dossier__applicant_user=user, user__isnull=True)
        )
        .exclude(status=MessageStatus.HISTORICAL)
        .order_by("-created_at", "-pk")
    )


def opted_out_channels(user: "User") -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("channel", flat=True))


def set_opt_outs(user: "User", channels: set[str], at: datetime) -> None:
    """Keep exactly `channels` (among the optional ones) as the user's opt-outs."""
    wanted = channels & set(OPTIONAL_CHANNELS)
    with transaction.atomic():
        OptOut.objects.filter(user=user).exclude(channel__in=wanted).delete()
        for channel in wanted:
            try:
                with transaction.atomic():
                    OptOut.objects.get_or_create(
                        user=user, channel=channel, defaults={"created_at": at}
                    )
            except IntegrityError:  # the same form sent twice at once
                pass


@dataclass(frozen=True)
class Sent:
    """One notification of a dossier as the desk and the API show it."""

    channel: str
    event: str
    status: str
    recipient: str
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    error: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @property
    def event_label(self) -> str:
        return event_label(self.event)

    @property
    def status_label(self) -> str:
        return str(MessageStatus(self.status).label)

    @property
    def channel_label(self) -> str:
        return str(MessageChannel(self.channel).label)


def for_dossier(dossier: Dossier) -> list[Sent]:
    """A dossier's notifications, oldest first, recipients masked."""
    rows = OutboxMessage.objects.filter(dossier=dossier).order_by("created_at", "pk")
    return [
        Sent(
            channel=m.channel,
            event=m.kind,
            status=m.status,
            recipient=m.recipient if m.channel == MessageChannel.APP else mask_contact(m.recipient),
            created_at=m.created_at,
            sent_at=m.sent_at,
            delivered_at=m.delivered_at,
            error=m.error,
        )
        for m in rows
    ]
