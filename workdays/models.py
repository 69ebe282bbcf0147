"""The government's announced day swaps and extra days off, editable by administrators."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Unit


class DayOverride(models.Model):
    """One announced change to the working calendar: a day worked or a day off."""

    day = models.DateField(_("day"))
    working = models.BooleanField(
        _("working day"),
        help_text=_(
            "Tick for a make-up working day (e.g. a Saturday worked); untick for a day off."
        ),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("only for unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_(
            "Leave empty for the whole country; a unit's choice also applies to the units below it."
        ),
    )
    reason = models.CharField(_("reason"), max_length=255)
    reference = models.CharField(_("announcing document"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("day override")
        verbose_name_plural = _("day overrides")
        ordering = ["-day"]
        constraints = [
            # The calendar builder expects at most one decision per day and scope.
            models.UniqueConstraint(
                fields=["day"], condition=Q(unit__isnull=True), name="dayoverride_one_national"
            ),
            models.UniqueConstraint(fields=["day", "unit"], name="dayoverride_one_per_unit"),
        ]

    def __str__(self) -> str:
        kind = _("working") if self.working else _("day off")
        return f"{self.day:%d/%m/%Y} ({kind})"
