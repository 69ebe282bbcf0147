"""A citizen's online filing in progress (a draft) and the files chosen for it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Procedure, ProcedureVersion
from orgs.models import Unit
from uploads.models import StoredFile


class Draft(models.Model):
    """An online filing not yet submitted: kept between visits, one per citizen and procedure.

    `applicant` holds the form's fields (kind, name, id_number, address, phone, email) as
    typed; they are validated again when the draft is submitted (`filing.actions.submit`).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applicant = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["owner", "procedure"], name="one_draft_per_procedure")
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.procedure_id}"


class DraftFile(models.Model):
    """The file chosen for one required document of a draft: uploaded through the gate, or
    taken from the citizen's wallet (`reused`: the same StoredFile, never deleted with the
    draft)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    document = models.PositiveSmallIntegerField()
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    reused = models.BooleanField(default=False)
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("draft file")
        verbose_name_plural = _("draft files")
        constraints = [
            models.UniqueConstraint(fields=["draft", "document"], name="one_file_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.draft_id}#{self.document}"
