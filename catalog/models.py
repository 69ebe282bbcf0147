"""The procedure catalog: procedures, their versions, required documents and workflows.

A dossier keeps the version it was filed under, so a published version is never edited:
a change is a new version.
"""

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lib.text import fold
from orgs.models import AgencyKind, Role
from workcal import Limit, LimitUnit

PROCEDURE_CODE_RE = re.compile(r"^\d\.\d{6}$")
HOURS_PER_DAY = 8  # DOMAIN.md §2: 1 working day = 8 working hours [C]


def validate_procedure_code(value: str) -> None:
    if not PROCEDURE_CODE_RE.match(value):
        raise ValidationError(
            _("Procedure code %(value)s is not of the form d.dddddd (e.g. 1.001193)."),
            params={"value": value},
        )


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. civil status."""

    code = models.CharField(_("field code"), max_length=20, unique=True)
    name = models.CharField(_("field name"), max_length=200)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    COMMUNE = "commune", _("Commune level")


class Channel(models.TextChoices):
    DESK = "desk", _("In person")
    POST = "post", _("Public postal service")
    ONLINE_PARTIAL = "online_partial", _("Partly online")
    ONLINE_FULL = "online_full", _("Fully online")


class Procedure(models.Model):
    """An administrative procedure as published in the national database."""

    code = models.CharField(
        _("procedure code"), max_length=20, unique=True, validators=[validate_procedure_code]
    )
    name = models.CharField(_("procedure name"), max_length=500)
    # The name without diacritics, lower-cased (lib.text.fold): the public catalogue's search
    # finds "kết hôn" from "ket hon" on SQLite and PostgreSQL alike. Kept in step by save();
    # a bulk update of `name` must set it too.
    name_folded = models.CharField(max_length=500, db_index=True, editable=False, default="")
    field = models.ForeignKey(Field, verbose_name=_("field"), on_delete=models.PROTECT)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = fold(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)

    def current_version(self) -> "ProcedureVersion | None":
        """Return the newest published version (one query)."""
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("In force")
    RETIRED = "retired", _("Retired")


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def published(self) -> "ProcedureVersionQuerySet":
        return self.filter(status=VersionStatus.PUBLISHED)


class ProcedureVersion(models.Model):
    """One version of a procedure: its limit, fees, documents, channels and workflow."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    competent_agency_kind = models.ForeignKey(
        AgencyKind,
        verbose_name=_("competent authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    limit_amount = models.PositiveIntegerField(_("time limit"), default=0)
    limit_unit = models.CharField(
        _("time limit unit"),
        max_length=10,
        choices=[
            (LimitUnit.DAYS.value, _("working days")),
            (LimitUnit.HOURS.value, _("working hours")),
            (LimitUnit.SAME_DAY.value, _("same day")),
        ],
    )
    fee_vnd = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    charge_vnd = models.PositiveBigIntegerField(_("charge (VND)"), default=0)
    fee_note = models.TextField(_("note on fees and charges"), blank=True)
    result = models.CharField(_("result"), max_length=500)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    allows_desk = models.BooleanField(_("filing in person"), default=True)
    allows_post = models.BooleanField(_("filing by post"), default=True)
    allows_online_partial = models.BooleanField(_("partly online filing"), default=False)
    allows_online_full = models.BooleanField(_("fully online filing"), default=False)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            # Intake picks "the" published version of a procedure.
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="published"),
                name="version_one_published",
            ),
            models.CheckConstraint(
                condition=Q(limit_unit="same_day") | Q(limit_amount__gt=0),
                name="version_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def limit(self) -> Limit:
        return Limit(self.limit_amount, LimitUnit(self.limit_unit))

    @property
    def limit_hours(self) -> Decimal:
        """The legal limit in working hours, which the workflow's allotments must add up to."""
        return limit_in_hours(self.limit_amount, self.limit_unit)

    def channels(self) -> list[str]:
        pairs = [
            (self.allows_desk, Channel.DESK),
            (self.allows_post, Channel.POST),
            (self.allows_online_partial, Channel.ONLINE_PARTIAL),
            (self.allows_online_full, Channel.ONLINE_FULL),
        ]
        return [str(ch.value) for allowed, ch in pairs if allowed]

    def limit_display(self) -> str:
        if self.limit_unit == LimitUnit.SAME_DAY:
            return str(_("Same day"))
        if self.limit_unit == LimitUnit.HOURS:
            return ngettext("%(n)s working hour", "%(n)s working hours", self.limit_amount) % {
                "n": self.limit_amount
            }
        return ngettext("%(n)s working day", "%(n)s working days", self.limit_amount) % {
            "n": self.limit_amount
        }


def limit_in_hours(amount: int, unit: str) -> Decimal:
    """Return a limit expressed in working hours (a same-day limit budgets one working day)."""
    if unit == LimitUnit.HOURS:
        return Decimal(amount)
    if unit == LimitUnit.SAME_DAY:
        return Decimal(HOURS_PER_DAY)
    return Decimal(amount * HOURS_PER_DAY)


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    ORIGINAL_OR_COPY = "original_or_copy", _("Original or copy")


class RequiredDocument(models.Model):
    """A document the applicant must (or may) submit under a version."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("document name"), max_length=500)
    form = models.CharField(_("form"), max_length=20, choices=DocumentForm.choices)
    count = models.PositiveSmallIntegerField(_("quantity"), default=1)
    required = models.BooleanField(_("required"), default=True)
    # The name of the form to fill in (tờ khai), as the national database words it.
    template = models.CharField(_("form template"), max_length=255, blank=True)
    # The blank form itself, offered for download on the public procedure page (PDF, DOCX,
    # DOC or ODT; catalog.forms says which and serves it under a generated name).
    template_file = models.FileField(
        _("form template file"), upload_to="catalog/forms/", blank=True, max_length=255
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="document_position"),
        ]

    def __str__(self) -> str:
        return self.name


class StepUnit(models.TextChoices):
    """Which unit's agency of the step's kind performs it (the desk: always the receiving
    unit's). A commune procedure may have a step at a province department (liên thông)."""

    COMPETENT = "competent", _("the competent unit")
    PROVINCE = "province", _("the province")


class WorkflowStep(models.Model):
    """One step of a version's internal workflow, with its allotted working hours."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("step"))
    name = models.CharField(_("step name"), max_length=255)
    agency_kind = models.ForeignKey(
        AgencyKind, verbose_name=_("performing agency"), on_delete=models.PROTECT
    )
    role = models.CharField(
        _("performing role"),
        max_length=20,
        choices=[
            (r.value, r.label)
            for r in (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK)
        ],
    )
    hours = models.DecimalField(_("time (working hours)"), max_digits=7, decimal_places=2)
    # Resolved per dossier by dossiers.actions.clock._agency_for.
    unit = models.CharField(
        _("performed at"), max_length=12, choices=StepUnit.choices, default=StepUnit.COMPETENT
    )

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("internal workflow")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="step_position"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="step_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


def workflow_mismatch(limit_amount: int, limit_unit: str, step_hours: list[Decimal]) -> str | None:
    """Return a Vietnamese message when the allotments don't add up to the limit, else None."""
    if not step_hours:
        return str(_("The internal workflow must have at least one step."))
    total = sum(step_hours, Decimal(0))
    expected = limit_in_hours(limit_amount, limit_unit)
    if total == expected:
        return None
    diff = total - expected
    word = _("over by") if diff > 0 else _("short by")
    return str(
        _(
            "The steps add up to %(total)s hours but the time limit is %(expected)s working "
            "hours: %(word)s %(diff)s hours."
        )
        % {
            "total": _fmt(total),
            "expected": _fmt(expected),
            "word": word,
            "diff": _fmt(abs(diff)),
        }
    )


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
