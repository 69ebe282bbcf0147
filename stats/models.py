"""Citizens' ratings of finished dossiers, which feed the satisfaction figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Procedure
from dossiers.models import Dossier
from orgs.models import Unit


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class RatingChannel(models.TextChoices):
    DESK = "desk", _("At the desk")
    API = "api", _("Through the API")
    PUBLIC = "public", _("With the receipt code")


class Rating(models.Model):
    """One applicant's rating of one finished dossier."""

    # One rating per dossier (the unique one-to-one); a second attempt is refused.
    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="rating"
    )
    value = models.CharField(_("rating"), max_length=20, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    channel = models.CharField(_("taken"), max_length=10, choices=RatingChannel.choices)
    at = models.DateTimeField(_("rated at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["at"], name="rating_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.value}"


class Grain(models.TextChoices):
    DAY = "d", _("Day")
    MONTH = "m", _("Month")
    YEAR = "y", _("Year")


class FigureCount(models.Model):
    """Flow counters of the periodic report for one (competent unit, procedure) and one bucket.

    A bucket is a local day, or the first day of a local month or year (`grain`); every
    counter is the number of received, non-cancelled dossiers whose event of that kind falls
    in the bucket. `stats.figures` defines the events, keeps the rows and reads periods from
    them (docs/adr/0004-incremental-figures.md).
    """

    competent_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    grain = models.CharField(max_length=1, choices=Grain.choices)
    bucket = models.DateField()
    # Received, by local day of received_at.
    received_online = models.IntegerField(default=0)
    received_desk_post = models.IntegerField(default=0)
    # Finished, by local day of finished_at and punctuality (unjudged: no punctuality).
    finished_early = models.IntegerField(default=0)
    finished_on_time = models.IntegerField(default=0)
    finished_late = models.IntegerField(default=0)
    finished_unjudged = models.IntegerField(default=0)
    # Overdue while open: from the day the report starts judging it overdue, until it
    # finished (or that day, if later).
    overdue_from = models.IntegerField(default=0)
    overdue_until = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("figure counters")
        verbose_name_plural = _("figure counters")
        constraints = [
            # One row per group and bucket: the upserts of stats.figures rely on it, and its
            # index serves the reads (a unit's rows of one grain before an instant).
            models.UniqueConstraint(
                fields=["competent_unit", "grain", "bucket", "procedure"], name="figure_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competent_unit_id}/{self.procedure_id} {self.grain} {self.bucket}"
