"""The hotline's call log: one row a call, never the keys typed (no lookup number, no PIN)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered by the machine")  # heard at least one answer
    TRANSFERRED = "transferred", _("Transferred to an officer")
    ABANDONED = "abandoned", _("Abandoned")  # hung up before any answer
    ENDED = "ended", _("Ended by the machine")  # three wrong inputs, or locked out


class Call(models.Model):
    """One call to the hotline, written when it ends (hotline.agi)."""

    uniqueid = models.CharField(_("channel id"), max_length=64, blank=True)
    # The caller's number with its middle masked ("091****678"): enough to recognise a
    # repeated caller in the log, not a contact list.
    caller = models.CharField(_("caller"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    end_reason = models.CharField(_("end reason"), max_length=20, blank=True)
    dossier_lookups = models.PositiveSmallIntegerField(_("dossier lookups"), default=0)
    dossiers_found = models.PositiveSmallIntegerField(_("dossiers found"), default=0)
    procedures_found = models.PositiveSmallIntegerField(_("procedures found"), default=0)

    class Meta:
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        # The IOC's figures count calls per local day over a period.
        indexes = [models.Index(fields=["started_at"], name="hotline_call_started")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
