"""Field reports (phản ánh hiện trường) received over Open311 GeoReport v2 (DOMAIN §11).

A `Category` is an Open311 service: its `code` is the `service_code`, it names the kind of
agency that answers it and the deadline in working hours (set by the province, DOMAIN §11).
A `FieldReport` is routed when it is received to the unit where it happened and that unit's
agency of the category's kind; its `expected_at` is the deadline in that unit's calendar.
Contact details are kept for staff and never leave through a public answer (georeport.py
writes public fields from an explicit list).
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Agency, Unit
from uploads.models import StoredFile


class Category(models.Model):
    """One kind of field report: an Open311 service."""

    code = models.SlugField(_("service code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    # A kind code (orgs.AgencyKind.code), not a key: categories are seeded by migration,
    # before a province loads its agency kinds.
    agency_kind = models.SlugField(
        _("responsible agency kind"),
        max_length=40,
        blank=True,
        help_text=_(
            "Code of the agency kind that answers (e.g. economic); empty: the unit's leaders."
        ),
    )
    deadline_hours = models.PositiveIntegerField(
        _("deadline in working hours"),
        default=24,
        help_text=_("Counted in the calendar of the unit where the report is routed."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("field report category")
        verbose_name_plural = _("field report categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_hours__gt=0), name="fieldreport_category_deadline_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class UnitPlace(models.Model):
    """A point for a unit (its office or centroid), from our own data: a report sent with
    coordinates and no jurisdiction goes to the unit with the nearest point."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="place")
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    long = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("unit location")
        verbose_name_plural = _("unit locations")

    def __str__(self) -> str:
        return f"{self.unit} ({self.lat}, {self.long})"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class FieldReportQuerySet(models.QuerySet["FieldReport"]):
    def open(self) -> "FieldReportQuerySet":
        return self.filter(status=ReportStatus.OPEN)

    def overdue(self, at: datetime) -> "FieldReportQuerySet":
        """Open reports whose deadline has passed at `at`."""
        return self.filter(status=ReportStatus.OPEN, expected_at__lte=at)

    def late(self) -> "FieldReportQuerySet":
        """Closed reports answered after their deadline."""
        return self.filter(status=ReportStatus.CLOSED, closed_at__gt=models.F("expected_at"))

    def in_units(self, unit_paths: "list[str] | tuple[str, ...]") -> "FieldReportQuerySet":
        """Reports of the units under any of `unit_paths` (materialised paths)."""
        condition = Q(pk__in=[])
        for path in unit_paths:
            condition |= Q(unit__path__startswith=path)
        return self.filter(condition)


class FieldReport(models.Model):
    """One report of a problem seen in the street."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="field_reports"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_reports",
    )
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    # The public reply (Open311 status_notes): the last answer staff published.
    status_notes = models.TextField(_("public reply"), blank=True)
    requested_at = models.DateTimeField(_("received at"))
    updated_at = models.DateTimeField(_("updated at"))
    expected_at = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Personal data: shown to staff of the unit and to the reporter, never in public answers.
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    device_id = models.CharField(_("device"), max_length=100, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_reports",
    )
    # The warning scan marks these once (fieldreports.warnings).
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = FieldReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("field report")
        verbose_name_plural = _("field reports")
        indexes = [
            # The public list and the wall filter by unit subtree and time, newest first.
            models.Index(fields=["requested_at", "id"], name="fieldreport_requested"),
            # The warning scan and the wall's "open and late" read open reports by deadline.
            models.Index(
                fields=["expected_at"], condition=Q(status="open"), name="fieldreport_open_due"
            ),
            models.Index(fields=["unit", "status"], name="fieldreport_unit_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="fieldreport_closed_has_instant",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"


class ReportReply(models.Model):
    """A public answer of staff to a report (its text becomes the report's status_notes)."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"))
    closes = models.BooleanField(_("closes the report"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.at:%Y-%m-%d %H:%M}"


class ReportPhoto(models.Model):
    """A photo of a report, from the reporter (reply empty) or with a staff reply."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="photos")
    reply = models.ForeignKey(
        ReportReply, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.stored_id}"
