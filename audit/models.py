"""The log of views of full personal data (ADR 9): one row per field revealed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier


class PersonalField(models.TextChoices):
    """The applicant's fields shown masked until someone gives a reason to see them."""

    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("Phone")
    ADDRESS = "address", _("Address")


# The dossier column behind each revealable field.
COLUMNS = {
    PersonalField.ID_NUMBER: "applicant_id_number",
    PersonalField.PHONE: "applicant_phone",
    PersonalField.ADDRESS: "applicant_address",
}


class PersonalDataView(models.Model):
    """Someone saw one full personal field of a dossier: who, when, which, why, from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"))
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("field"), max_length=12, choices=PersonalField.choices)
    reason = models.CharField(_("reason"), max_length=500)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8)  # "desk" or "api"

    class Meta:
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")
        ordering = ["-at", "-id"]
        indexes = [
            # The inspectors' page lists the newest views first, by period and by person.
            models.Index(fields=["-at"], name="pdview_at"),
            models.Index(fields=["user", "-at"], name="pdview_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.field} {self.dossier_id} {self.at:%Y-%m-%d %H:%M}"


class ListExport(models.Model):
    """Someone downloaded a list of dossiers with applicants' names: who, when, which, how many.

    The list shows ID numbers and phones masked; names and the filter that chose the rows are
    personal enough to be accounted for (ADR 20).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"))
    what = models.CharField(_("list"), max_length=24)  # "dossiers"
    filters = models.JSONField(_("filters"), default=dict)
    rows = models.PositiveIntegerField(_("rows"))
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8)  # "desk" or "api"

    class Meta:
        verbose_name = _("list export")
        verbose_name_plural = _("list exports")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="listexport_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.what} {self.rows} {self.at:%Y-%m-%d %H:%M}"
