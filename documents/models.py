"""Papers issued for a dossier, each stored once and identified by its content hash."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier


class Form(models.TextChoices):
    """The official forms of Circular 03/2025/TT-VPCP, by their 2025 number."""

    RECEIPT = "01", _("Receipt and appointment slip")
    SUPPLEMENT = "02", _("Supplement request")
    REFUSAL = "03", _("Refusal")
    APOLOGY = "04", _("Apology and new appointment")
    STOP = "05", _("Stop notice")
    CONTROL = "06", _("Process control slip")
    BOOK = "07", _("Tracking book")
    RESULT = "KQ", _("Electronic result (digitally signed)")


class IssuedDocument(models.Model):
    """One paper issued for a dossier; re-printing serves these very bytes.

    The control slip (form 06) grows with every hand-off: each distinct version printed is
    kept, the latest served (documents.papers.issue).
    """

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="documents_issued",
    )
    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    sha256 = models.CharField(_("content hash"), max_length=64, unique=True)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("issued at"))
    # Set on electronic results: who signed (certificate subject) and when.
    signer = models.CharField(_("signed by"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            # Each form but the control slip is issued once per dossier; a re-print serves the
            # stored file.
            models.UniqueConstraint(
                fields=["dossier", "form"],
                condition=~models.Q(form="06"),
                name="document_once_per_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.form}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BookJob(models.Model):
    """A large tracking book rendered in the background; the page polls its progress.

    Any app node can serve the progress and the file: both live in this row.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), on_delete=models.PROTECT
    )
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("unit"), on_delete=models.PROTECT)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    online_only = models.BooleanField(_("online only"), default=False)
    format = models.CharField(_("format"), max_length=4)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    # Progress in per mille: rows read, then pages drawn.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    content = models.BinaryField(_("content"), null=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True)
    # Bumped by each claim: a worker writes progress and the result only under its own attempt,
    # so a worker that was presumed dead cannot overwrite the one that replaced it.
    attempt = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True)

    class Meta:
        verbose_name = _("tracking book job")
        verbose_name_plural = _("tracking book jobs")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start}..{self.end} {self.status}"
