"""Citizens' ratings of finished dossiers, which feed the satisfaction figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier


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
