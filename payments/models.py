"""Fee lines of a procedure version, waivers granted on a dossier, and payments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import ProcedureVersion
from dossiers.models import Dossier


class FeeKind(models.TextChoices):
    FEE = "fee", _("Fee")  # phí
    CHARGE = "charge", _("Charge")  # lệ phí


class FeeDue(models.TextChoices):
    AT_FILING = "at_filing", _("At filing")
    BEFORE_RETURN = "before_return", _("Before the result is returned")


class FeeLine(models.Model):
    """One fee or charge of a procedure version, when it is due, and who is exempt."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="fee_lines",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices)
    label = models.CharField(_("label"), max_length=200)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    due = models.CharField(
        _("due"), max_length=16, choices=FeeDue.choices, default=FeeDue.BEFORE_RETURN
    )
    # Applicant categories exempt from this line (FeeWaiver.category values), e.g.
    # ["poor_household", "person_with_merit"].
    waived_for = models.JSONField(_("waived for"), default=list, blank=True)

    class Meta:
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount_vnd}"


class Waives(models.TextChoices):
    ALL = "all", _("Fees and charges")
    FEE = "fee", _("Fees only")
    CHARGE = "charge", _("Charges only")


class WaiverCategory(models.Model):
    """An applicant category a unit exempts from fees, for some or all of the procedures filed
    at its desk (e.g. poor households, by a People's Council resolution). Retired, never
    deleted: the waivers granted under it keep their meaning."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    # The value FeeWaiver.category records; a fee line's `waived_for` may name it too.
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    waives = models.CharField(
        _("waives"), max_length=10, choices=Waives.choices, default=Waives.ALL
    )
    # Empty: every procedure filed at the unit's desk.
    procedures = models.ManyToManyField(
        "catalog.Procedure", blank=True, related_name="+", verbose_name=_("procedures")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("fee waiver category")
        verbose_name_plural = _("fee waiver categories")
        constraints = [
            # A code names one category of a unit for ever (waivers record the code).
            models.UniqueConstraint(fields=["unit", "code"], name="waiver_category_code_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def waives_kind(self, kind: str) -> bool:
        """Whether this category exempts a fee line of `kind` (fee or charge)."""
        return self.waives in (Waives.ALL, kind)


class FeeWaiver(models.Model):
    """An applicant category the desk recorded for a dossier (the lines waived for it)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fee_waivers")
    category = models.CharField(_("category"), max_length=40)
    # The unit's category applied (None: a category named only by the fee lines' waived_for).
    waiver_category = models.ForeignKey(
        WaiverCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="waivers"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "category"], name="waiver_once"),
        ]

    def __str__(self) -> str:
        return self.category


class Method(models.TextChoices):
    ONLINE = "online", _("Online")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Payment(models.Model):
    """A payment of a dossier's fees, online through a provider or at the desk."""

    # The books keep a payment whose dossier was deleted, without it: the daily
    # reconciliation flags it ("payment without a dossier").
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    provider = models.CharField(_("provider"), max_length=20, blank=True)  # vnpay, desk
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    # Our reference sent to the provider (vnp_TxnRef), unique for ever (so per day too).
    txn_ref = models.CharField(_("transaction reference"), max_length=40, unique=True)
    # The provider's own reference (vnp_TransactionNo) or the bank transfer's reference.
    provider_ref = models.CharField(_("provider reference"), max_length=60, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    response_code = models.CharField(max_length=4, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    payer_name = models.CharField(_("payer"), max_length=200)
    # What the payment covers, as it was when it was asked: [{kind, label, amount_vnd}].
    lines = models.JSONField(default=list)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "pk"]
        constraints = [
            # A double click on "pay" finds the pending payment instead of making a second.
            models.UniqueConstraint(
                fields=["dossier", "amount_vnd"],
                condition=Q(status="pending"),
                name="payment_one_pending",
            ),
            # A desk receipt number is used once per unit.
            models.UniqueConstraint(
                fields=["unit", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="payment_receipt_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="payment_status_created"),
            models.Index(fields=["unit", "paid_at"], name="payment_unit_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.amount_vnd} {self.status}"


class ReceiptCounter(models.Model):
    """The last electronic receipt number a unit used in a year (numbers restart each year
    and have at most 8 digits, Decree 254/2026/NĐ-CP art. 23.2)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="receipt_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"
