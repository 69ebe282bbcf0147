"""Satisfaction survey campaigns (phiếu khảo sát sự hài lòng), their questionnaires and answers.

The per-dossier rating (`stats.Rating`) stays as it is; a survey is a longer questionnaire a
campaign runs over a period in some units. How answers add up to the satisfaction index is
defined once, in `surveys.figures`.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier
from orgs.models import Unit


class Theme(models.TextChoices):
    """The groups of questions, in the order the questionnaire shows them (DOMAIN §8)."""

    ACCESS = "access", _("Access to the service")
    PROCEDURES = "procedures", _("Administrative procedures")
    OFFICERS = "officers", _("Officers and staff")
    RESULTS = "results", _("Results of the service")
    FEEDBACK = "feedback", _("Handling of feedback")


THEME_ORDER = list(Theme)


class Kind(models.TextChoices):
    CHOICE = "choice", _("Single choice")
    SCALE = "scale", _("Scale")
    TEXT = "text", _("Free text")


class ResponseChannel(models.TextChoices):
    PORTAL = "portal", _("Public portal")
    DESK = "desk", _("Tablet at the desk")
    LINK = "link", _("Link in a notification")


class Campaign(models.Model):
    """A survey run over a period in some units (and every unit below them)."""

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, max_length=2000)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    units = models.ManyToManyField(
        Unit, verbose_name=_("units"), related_name="+", help_text=_("and every unit below them")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-starts_on", "pk"]
        constraints = [
            # `accepts` and the period pickers of the results page rely on it.
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def accepts(self, at: datetime) -> bool:
        """Tell whether the campaign takes answers at the instant `at` (local days, inclusive)."""
        day = timezone.localdate(at)
        return self.active and self.starts_on <= day <= self.ends_on

    def covered_units(self, day: datetime | None = None) -> models.QuerySet[Unit]:
        """The units answers may be about: the campaign's and those below them."""
        condition = Q(pk__in=[])
        for path in self.units.values_list("path", flat=True):
            condition |= Q(path__startswith=path)
        units = Unit.objects.filter(condition)
        if day is not None:
            units = units.current_at(timezone.localdate(day))
        return units.order_by("path")

    def covers(self, unit: Unit) -> bool:
        """Tell whether answers about `unit` belong to this campaign."""
        return any(unit.path.startswith(p) for p in self.units.values_list("path", flat=True))


class Question(models.Model):
    """One question of a campaign's questionnaire."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="questions"
    )
    theme = models.CharField(_("theme"), max_length=12, choices=Theme.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    # The decree sets no scale (DOMAIN §8): each scale question says how many points it has
    # and from which point an answer counts as satisfied (surveys.figures).
    scale_max = models.PositiveSmallIntegerField(_("scale points"), default=5)
    satisfied_from = models.PositiveSmallIntegerField(_("satisfied from point"), default=4)
    low_label = models.CharField(_("label of point 1"), max_length=60, blank=True)
    high_label = models.CharField(_("label of the highest point"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["campaign", "position", "pk"]
        constraints = [
            # surveys.figures divides by scale_max - 1 and compares with satisfied_from.
            models.CheckConstraint(
                condition=Q(scale_max__gte=2, scale_max__lte=10)
                & Q(satisfied_from__gte=1, satisfied_from__lte=F("scale_max")),
                name="question_scale_sane",
            )
        ]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    """One option of a single-choice question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=200)
    # True: the answer counts as satisfied; False: as not satisfied; empty: not counted in
    # the index (e.g. "Không có ý kiến").
    satisfied = models.BooleanField(_("counts as satisfied"), null=True, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One filled questionnaire: anonymous, or tied to a dossier or a citizen account."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="responses"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=ResponseChannel.choices)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            # One answer per dossier and per account in a campaign: surveys.actions.submit
            # turns the IntegrityError into "already answered".
            models.UniqueConstraint(
                fields=["campaign", "dossier"],
                condition=Q(dossier__isnull=False),
                name="response_one_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["campaign", "account"],
                condition=Q(account__isnull=False),
                name="response_one_per_account",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "submitted_at"], name="response_period")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"


class Answer(models.Model):
    """The answer to one question of a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
