"""Templates per event and channel, switches, citizens' opt-outs and the history of each message."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.choices import MessageChannel, MessageStatus
from dossiers.models import OutboxMessage
from notify.render import TemplateProblem, check_placeholders
from orgs.models import Unit


class Template(models.Model):
    """The Vietnamese wording of one event on one channel, with {placeholders}."""

    event = models.CharField(_("event"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)  # email only
    body = models.TextField(_("text"))
    # Zalo ZNS sends a template approved by Zalo beforehand, not our text: its id here.
    zns_template_id = models.CharField(_("ZNS template id"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="notify_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel}"

    def clean(self) -> None:
        try:
            check_placeholders(self.subject)
            check_placeholders(self.body)
        except TemplateProblem as problem:
            raise ValidationError({"body": str(problem)}) from problem


class Switch(models.Model):
    """Turns one event, channel or unit's messages off (everything is on without a row).

    An empty field matches every value; the most specific row decides.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE
    )
    event = models.CharField(_("event"), max_length=40, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=MessageChannel.choices, blank=True
    )
    enabled = models.BooleanField(_("enabled"), default=False)

    class Meta:
        verbose_name = _("notification switch")
        verbose_name_plural = _("notification switches")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "event", "channel"],
                condition=Q(unit__isnull=False),
                name="notify_switch_once",
            ),
            models.UniqueConstraint(
                fields=["event", "channel"],
                condition=Q(unit__isnull=True),
                name="notify_switch_once_everywhere",
            ),
        ]

    def __str__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"{self.unit_id or '*'} / {self.event or '*'} / {self.channel or '*'}: {state}"


class OptOut(models.Model):
    """A citizen who asked not to be messaged on one channel (never the in-app list)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="notify_opt_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel}"


class Attempt(models.Model):
    """One transition of one message: a send tried, a report received, a skip (its history)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=MessageStatus.choices)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["message", "at"], name="notify_attempt_message")]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status} @ {self.at:%Y-%m-%d %H:%M:%S}"
