"""The procedure catalog: procedures, their versions, required documents and workflows.

A dossier keeps the version it was filed under, so a published version is never edited:
a change is a new version.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import AgencyKind, Role
from workcal import Limit, LimitUnit

PROCEDURE_CODE_RE = re.compile(r"^\d\.\d{6}$")
HOURS_PER_DAY = 8  # DOMAIN.md §2: 1 working day = 8 working hours [C]


def validate_procedure_code(value: str) -> None:
    if not PROCEDURE_CODE_RE.match(value):
        raise ValidationError(
            _("Mã thủ tục %(value)s không đúng dạng d.dddddd (ví dụ 1.001193)."),
            params={"value": value},
        )


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. civil status."""

    code = models.CharField(_("mã lĩnh vực"), max_length=20, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Channel(models.TextChoices):
    DESK = "desk", _("Trực tiếp")
    POST = "post", _("Bưu chính công ích")
    ONLINE_PARTIAL = "online_partial", _("Trực tuyến một phần")
    ONLINE_FULL = "online_full", _("Trực tuyến toàn trình")


class Procedure(models.Model):
    """An administrative procedure as published in the national database."""

    code = models.CharField(
        _("mã thủ tục"), max_length=20, unique=True, validators=[validate_procedure_code]
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def current_version(self) -> "ProcedureVersion | None":
        """Return the newest published version (one query)."""
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đang áp dụng")
    RETIRED = "retired", _("Hết hiệu lực")


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def published(self) -> "ProcedureVersionQuerySet":
        return self.filter(status=VersionStatus.PUBLISHED)


class ProcedureVersion(models.Model):
    """One version of a procedure: its limit, fees, documents, channels and workflow."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    level = models.CharField(_("cấp thực hiện"), max_length=12, choices=Level.choices)
    competent_agency_kind = models.ForeignKey(
        AgencyKind,
        verbose_name=_("cơ quan có thẩm quyền giải quyết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    limit_amount = models.PositiveIntegerField(_("thời hạn giải quyết"), default=0)
    limit_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=10,
        choices=[
            (LimitUnit.DAYS.value, _("ngày làm việc")),
            (LimitUnit.HOURS.value, _("giờ làm việc")),
            (LimitUnit.SAME_DAY.value, _("trong ngày")),
        ],
    )
    fee_vnd = models.PositiveBigIntegerField(_("lệ phí (đồng)"), default=0)
    charge_vnd = models.PositiveBigIntegerField(_("phí (đồng)"), default=0)
    fee_note = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    result = models.CharField(_("kết quả giải quyết"), max_length=500)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    allows_desk = models.BooleanField(_("nộp trực tiếp"), default=True)
    allows_post = models.BooleanField(_("nộp qua bưu chính"), default=True)
    allows_online_partial = models.BooleanField(_("trực tuyến một phần"), default=False)
    allows_online_full = models.BooleanField(_("trực tuyến toàn trình"), default=False)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
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
            return str(_("Trong ngày"))
        if self.limit_unit == LimitUnit.HOURS:
            return str(_("%(n)s giờ làm việc") % {"n": self.limit_amount})
        return str(_("%(n)s ngày làm việc") % {"n": self.limit_amount})


def limit_in_hours(amount: int, unit: str) -> Decimal:
    """Return a limit expressed in working hours (a same-day limit budgets one working day)."""
    if unit == LimitUnit.HOURS:
        return Decimal(amount)
    if unit == LimitUnit.SAME_DAY:
        return Decimal(HOURS_PER_DAY)
    return Decimal(amount * HOURS_PER_DAY)


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
    ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")


class RequiredDocument(models.Model):
    """A document the applicant must (or may) submit under a version."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    form = models.CharField(_("hình thức"), max_length=20, choices=DocumentForm.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    template = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="document_position"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    """One step of a version's internal workflow, with its allotted working hours."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=255)
    agency_kind = models.ForeignKey(
        AgencyKind, verbose_name=_("cơ quan thực hiện"), on_delete=models.PROTECT
    )
    role = models.CharField(
        _("vai trò thực hiện"),
        max_length=20,
        choices=[
            (r.value, r.label)
            for r in (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK)
        ],
    )
    hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
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
        return str(_("Quy trình nội bộ phải có ít nhất một bước."))
    total = sum(step_hours, Decimal(0))
    expected = limit_in_hours(limit_amount, limit_unit)
    if total == expected:
        return None
    diff = total - expected
    word = _("thừa") if diff > 0 else _("thiếu")
    return str(
        _(
            "Tổng thời gian các bước là %(total)s giờ, thời hạn giải quyết là %(expected)s giờ "
            "làm việc: %(word)s %(diff)s giờ."
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
