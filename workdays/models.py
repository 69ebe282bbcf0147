"""The government's announced day swaps and extra days off, editable by administrators."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Unit


class DayOverride(models.Model):
    """One announced change to the working calendar: a day worked or a day off."""

    day = models.DateField(_("ngày"))
    working = models.BooleanField(
        _("là ngày làm việc"),
        help_text=_(
            "Chọn nếu đây là ngày làm bù (ví dụ thứ Bảy đi làm); bỏ chọn nếu là ngày nghỉ."
        ),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("chỉ áp dụng cho đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Để trống nếu áp dụng trên toàn quốc; áp dụng cho cả các đơn vị trực thuộc."),
    )
    reason = models.CharField(_("lý do"), max_length=255)
    reference = models.CharField(_("văn bản công bố"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-day"]
        constraints = [
            # The calendar builder expects at most one decision per day and scope.
            models.UniqueConstraint(
                fields=["day"], condition=Q(unit__isnull=True), name="dayoverride_one_national"
            ),
            models.UniqueConstraint(fields=["day", "unit"], name="dayoverride_one_per_unit"),
        ]

    def __str__(self) -> str:
        kind = _("làm việc") if self.working else _("nghỉ")
        return f"{self.day:%d/%m/%Y} ({kind})"
