"""Dossiers, their workflow steps, the append-only event log and the notification outbox."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from catalog.models import Procedure, ProcedureVersion
from dossiers import timeliness
from dossiers.choices import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    ApplicantKind,
    AttachmentPurpose,
    Channel,
    MessageChannel,
    MessageStatus,
    Outcome,
    Punctuality,
    ReturnMethod,
    Status,
    StepKind,
)
from lib.lookupnumber import lookup_number
from orgs.access import root_step_unit_ids, unit_ids_for
from orgs.models import Agency, Unit
from uploads.models import StoredFile

# The choices live in dossiers.choices and are re-exported: the project names them from here.
__all__ = [
    "OPEN_STATUSES",
    "TERMINAL_STATUSES",
    "ApplicantKind",
    "Attachment",
    "AttachmentPurpose",
    "BookCounter",
    "Channel",
    "Dossier",
    "DossierCounter",
    "DossierEvent",
    "DossierQuerySet",
    "DossierStep",
    "HistoryImportJob",
    "IdempotencyKey",
    "LeaderDigest",
    "OutboxMessage",
    "Outcome",
    "Punctuality",
    "ReturnMethod",
    "Status",
    "StepKind",
    "StepWarning",
    "WarningKind",
]


class DossierQuerySet(models.QuerySet["Dossier"]):
    """The business words about dossiers, defined once for pages, reports and the API."""

    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "DossierQuerySet":  # type: ignore[name-defined]
        """Dossiers a user may see: those of the units they serve, their own filings, and for
        a citizen whose ID number is vouched, the dossiers filed under that number (ADR 14)."""
        units = unit_ids_for(user)
        condition = Q(receiving_unit_id__in=units) | Q(competent_unit_id__in=units)
        province = root_step_unit_ids(user)
        if province:
            # A step the catalog places at a province agency (catalog.StepUnit.PROVINCE): the
            # staff of that province see the dossiers that have had a step there. Only for
            # staff of a root unit, so the ward pages pay nothing for it.
            steps = DossierStep.objects.filter(
                dossier_id=OuterRef("pk"), agency__unit_id__in=province
            )
            condition |= Q(Exists(steps))
        if user.is_authenticated:
            condition |= Q(applicant_user=user)
            if user.is_citizen and user.id_vouched:
                condition |= Q(applicant_id_number=user.id_number)
        return self.filter(condition)

    def open(self) -> "DossierQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def running(self) -> "DossierQuerySet":
        """Open dossiers whose clock runs (received and not paused for a supplement)."""
        return self.filter(status=Status.IN_PROGRESS)

    # The words below are `dossiers.timeliness` conditions, the same the report counts with.
    # The status filter in front adds nothing at the present instant (open statuses are
    # exactly the received-and-unfinished ones); it lets the (unit, status, due) indexes serve.

    def overdue(self, at: datetime) -> "DossierQuerySet":
        """Dossiers overdue at `at`, those paused after their due instant included."""
        return self.open().filter(timeliness.overdue_at(at))

    def due_soon(self, at: datetime) -> "DossierQuerySet":
        """Running dossiers due within DUE_SOON_HOURS working hours of `at`, each window in
        its own calendar (one query for the calendars' units)."""
        candidates = self.running().filter(due_at__gte=at)
        unit_ids = candidates.values(f"{timeliness.CALENDAR_UNIT_FIELD}_id")
        units = list(Unit.objects.filter(pk__in=unit_ids))
        return self.open().filter(timeliness.due_soon_at(at, units))

    def within_time(self, at: datetime) -> "DossierQuerySet":
        """Dossiers in progress at `at` and not overdue, paused ones included."""
        return self.open().filter(timeliness.within_time_at(at))

    def awaiting_receipt(self) -> "DossierQuerySet":
        """Online filings the desk has not yet received or refused."""
        return self.filter(status=Status.SUBMITTED)

    def awaiting_supplement(self) -> "DossierQuerySet":
        return self.filter(status=Status.SUPPLEMENT_REQUESTED)

    def awaiting_signature(self) -> "DossierQuerySet":
        """Running dossiers at their decision step (the head decides and signs); a leader's
        assignment and check steps are not awaiting a signature."""
        return self.running().filter(current_step__kind=StepKind.DECIDE)

    def results_ready(self) -> "DossierQuerySet":
        return self.filter(status=Status.RESULT_READY)

    def finished(self) -> "DossierQuerySet":
        return self.filter(finished_at__isnull=False, punctuality__isnull=False)

    def early(self) -> "DossierQuerySet":
        return self.filter(timeliness.judged(Punctuality.EARLY))

    def on_time(self) -> "DossierQuerySet":
        return self.filter(timeliness.judged(Punctuality.ON_TIME))

    def late(self) -> "DossierQuerySet":
        return self.filter(timeliness.judged(Punctuality.LATE))


class Dossier(models.Model):
    """One application for one procedure, from filing to the returned result."""

    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_unit = models.ForeignKey(
        Unit, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+"
    )
    competent_unit = models.ForeignKey(
        Unit, verbose_name=_("competent unit"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=1, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )

    applicant_kind = models.CharField(
        _("applicant kind"), max_length=12, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    # Diacritic-free, lower-case copy of the name: "nguyen van a" finds "Nguyễn Văn A".
    applicant_name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    applicant_id_number = models.CharField(_("ID number / tax code"), max_length=20)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    documents = models.JSONField(_("documents received"), default=list)
    sets_count = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    # Printed on the receipt; with the code it opens the public status page.
    public_secret = models.CharField(max_length=8)

    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # The tracking book's entry (form 07's STT, form 01's "Quyển số, Số thứ tự"): a volume per
    # receiving unit and year of receipt, numbered once, at receipt (dossiers.actions.book).
    book_volume = models.PositiveSmallIntegerField(_("tracking book volume"), null=True, blank=True)
    book_entry = models.PositiveIntegerField(_("tracking book entry"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("original appointment"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    # NULL until processing ends: "not yet classified" is distinct from every verdict.
    punctuality = models.CharField(  # noqa: DJ001
        _("punctuality"), max_length=8, choices=Punctuality.choices, null=True, blank=True
    )
    # Digitisation (dossiers.digitization, ADR 16), kept with the files in the transaction
    # that attaches or signs them so the report's counters can follow: every required
    # document has a file attached; the result is on file (signed, or a scan attached).
    digitised = models.BooleanField(_("digitised"), default=False, db_default=False, editable=False)
    result_on_file = models.BooleanField(
        _("result on file"), default=False, db_default=False, editable=False
    )
    # The result as the clerk numbered it (số, ký hiệu văn bản, ngày ban hành), at the issue
    # step; also in that step's event payload.
    result_number = models.CharField(_("document number"), max_length=20, blank=True)
    result_symbol = models.CharField(_("document symbol"), max_length=40, blank=True)
    result_date = models.DateField(_("document date"), null=True, blank=True)
    # Who collected the result and how, recorded at return.
    return_method = models.CharField(
        _("how the result was returned"),
        max_length=8,
        choices=ReturnMethod.choices,
        blank=True,
        default="",
    )
    collector_name = models.CharField(_("collected by"), max_length=200, blank=True)
    collector_id_number = models.CharField(_("collector's ID number"), max_length=20, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    reappointed = models.BooleanField(_("reappointed"), default=False)
    current_step = models.ForeignKey(
        "DossierStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: every change bumps it; a stale caller gets a conflict.
    version = models.PositiveIntegerField(default=1)
    last_event_hash = models.CharField(max_length=64, blank=True)
    event_count = models.PositiveIntegerField(default=0)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        # Given to the province's IT administrators: the admin's history import page.
        permissions = [("import_history", _("Can import dossier history"))]
        constraints = [
            # The law allows one supplement request per dossier.
            models.CheckConstraint(condition=Q(supplement_count__lte=1), name="one_supplement"),
            # Processing needs a receipt; an online filing may be asked to complete, stopped,
            # refused or cancelled before the desk ever receives it.
            # The receipt and the book print this number: it never repeats inside a volume.
            models.UniqueConstraint(
                fields=["receiving_unit", "book_volume", "book_entry"],
                condition=Q(book_entry__isnull=False),
                name="book_entry_once_per_volume",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_progress", "result_ready", "returned"])
                | Q(received_at__isnull=False),
                name="received_when_processed",
            ),
        ]
        indexes = [
            # Inboxes and the overdue worker: open dossiers of a unit by due instant.
            models.Index(
                fields=["receiving_unit", "status", "due_at"], name="dossier_recv_status_due"
            ),
            models.Index(
                fields=["competent_unit", "status", "due_at"], name="dossier_comp_status_due"
            ),
            # Keyset pagination of listings: newest first.
            models.Index(fields=["-submitted_at", "-id"], name="dossier_keyset"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            # Search by phone (dossiers.search.matching), stored normalised.
            models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
            # The public lookup takes a code in any case (access.get_dossier_by_receipt).
            models.Index(Upper("code"), name="dossier_code_upper"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def lookup_number(self) -> str:
        """The digits-only number a phone keypad can send (lib.lookupnumber, ADR 26)."""
        return lookup_number(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DossierStep(models.Model):
    """One step instance: who holds the dossier, since when, and by when they must hand it on."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    # What the step is for (dossiers.steps): decides what forwarding asks and the queues.
    kind = models.CharField(max_length=10, choices=StepKind.choices, default=StepKind.OTHER)
    # The one person who holds the step, when a leader assigned it; else every holder of the
    # role in the agency (dossiers.access, dossiers.queues).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allotted_hours = models.DecimalField(max_digits=7, decimal_places=2)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # NULL while the step is open.
    punctuality = models.CharField(  # noqa: DJ001
        max_length=8, choices=Punctuality.choices, null=True, blank=True
    )

    class Meta:
        ordering = ["dossier", "id"]
        indexes = [models.Index(fields=["agency", "finished_at"], name="step_agency_open")]

    def __str__(self) -> str:
        return f"{self.dossier.code} #{self.position} {self.name}"


class DossierEvent(models.Model):
    """An append-only record of one transition; each MACs the one before it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    verb = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    # Keyed digest of the applicant fields and step rows after the transition; the MAC covers
    # it (dossiers/actions/chain.py, ADR 9).
    state_digest = models.CharField(max_length=64, blank=True)
    # HMAC-SHA256 of the previous MAC, this row's fields and state_digest.
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            # The chain has no gaps or forks: one event per sequence number.
            models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_unique"),
        ]
        indexes = [models.Index(fields=["at"], name="event_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.verb}"


class Attachment(models.Model):
    """A file admitted by the gate (uploads.StoredFile) and attached to a dossier.

    `document` is the position of the required document of the dossier's procedure version it
    answers (as in the intake's `documents`), or None for any other paper. The same content
    (`sha256`, copied from the file so the database can hold it unique) is attached once per
    dossier and document. Written only by `dossiers.actions.attach_file`, with an event.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    document = models.PositiveSmallIntegerField(_("required document"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=AttachmentPurpose.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("attached at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["dossier", "added_at", "id"]
        constraints = [
            # NULL documents are distinct in a plain unique index: "other" papers need their own.
            models.UniqueConstraint(
                fields=["dossier", "document", "sha256"],
                condition=Q(document__isnull=False),
                name="attachment_once_per_document",
            ),
            models.UniqueConstraint(
                fields=["dossier", "sha256"],
                condition=Q(document__isnull=True),
                name="attachment_once_as_other",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.sha256[:12]}"


class OutboxMessage(models.Model):
    """A notification to deliver after the transaction that caused it has committed."""

    # A message about a dossier, about an account (`user`), or to a contact that has no
    # account yet (a sign-up's confirmation code): both may be empty.
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox",
    )
    kind = models.CharField(max_length=40)  # the event: received, result_ready, ...
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    # A phone, an address, or for `app` the user's name (the user is the recipient).
    recipient = models.CharField(max_length=200)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    # Delivery (the notify app; ADR 17). Writers leave these at their defaults.
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.CREATED
    )
    # The idempotency reference: the SMS RequestId, the ZNS tracking_id, the email Message-ID.
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A claimed message belongs to its worker until then; after it, the sweep takes it back.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # in-app messages
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True)  # SMSID, msg_id
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            # The sweep finds messages waiting for a send, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["created", "temporary-failure", "sending"]),
                name="outbox_waiting",
            ),
            models.Index(fields=["user", "channel", "read_at"], name="outbox_inbox"),
            # Delivery reports name the gateway's id.
            models.Index(
                fields=["provider_id"], condition=~Q(provider_id=""), name="outbox_provider_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.channel}:{self.recipient}"


class WarningKind(models.TextChoices):
    DUE_SOON = "step_due_soon", _("Due soon")
    OVERDUE = "step_overdue", _("Overdue, escalated")


class StepWarning(models.Model):
    """One early warning or escalation about an open step, recorded once (ADR 18).

    The unique (step, kind, threshold) constraint is what keeps a warning from being sent
    twice when two scans run at once: only the scan whose insert happened writes messages.
    `unit`, `agency` and `role` copy where the step waited, `leader_unit` the unit whose
    leaders were told (the parent unit's for an escalation), for the desk's warnings list.
    """

    step = models.ForeignKey(DossierStep, on_delete=models.CASCADE, related_name="warnings")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("warning"), max_length=20, choices=WarningKind.choices)
    # Working hours before the due instant for a warning; 0 for an escalation.
    threshold_hours = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    leader_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("step due"))
    at = models.DateTimeField(_("warned at"))

    class Meta:
        verbose_name = _("step warning")
        verbose_name_plural = _("step warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "kind", "threshold_hours"], name="step_warning_once"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "-at"], name="step_warning_unit_at"),
            models.Index(fields=["leader_unit", "-at"], name="step_warning_leader_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.step_id} ({self.threshold_hours} h)"


class LeaderDigest(models.Model):
    """The daily digest of one unit's leaders, recorded once per local day."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="leader_digest_once")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class DossierCounter(models.Model):
    """The last sequence number used for dossier codes of one desk on one day."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class BookCounter(models.Model):
    """The last entry number used in one volume of a receiving unit's tracking book."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    volume = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "volume"], name="book_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.volume}: {self.last}"


class IdempotencyKey(models.Model):
    """Remembers an intake request so a retried submission returns the same dossier."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique")]

    def __str__(self) -> str:
        return self.key


class HistoryImportJob(models.Model):
    """The state of a history import started from the admin page (phase, progress, errors,
    summary), in the database so that any app node can show it."""

    id = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.JSONField()
    updated_at = models.DateTimeField()
    # The uploaded file, kept until the task that imports it has read it: the worker may run
    # on another node than the page that took the upload.
    upload = models.BinaryField(null=True)

    def __str__(self) -> str:
        return str(self.id)


class Grain(models.TextChoices):
    DAY = "d", _("Day")
    MONTH = "m", _("Month")
    YEAR = "y", _("Year")


class FigureCount(models.Model):
    """Flow counters of the periodic report for one (counted unit, procedure) and one bucket.

    The counted unit is the dossier's competent unit, or its receiving unit with
    FIGURES_UNIT=receiving (`dossiers.figures.unit_field`, ADR 22); the column keeps its name.

    A bucket is a local day, or the first day of a local month or year (`grain`); every
    counter is the number of received, non-cancelled dossiers whose event of that kind falls
    in the bucket. `dossiers.figures` defines the events and keeps the rows; `stats.report`
    reads periods from them (docs/adr/0004-incremental-figures.md). The table keeps the name
    it was created with in the stats app.
    """

    competent_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    grain = models.CharField(max_length=1, choices=Grain.choices)
    bucket = models.DateField()
    # Received, by local day of received_at.
    received_online = models.IntegerField(default=0)
    received_desk_post = models.IntegerField(default=0)
    # Finished, by local day of finished_at and punctuality (unjudged: no punctuality).
    finished_early = models.IntegerField(default=0)
    finished_on_time = models.IntegerField(default=0)
    finished_late = models.IntegerField(default=0)
    finished_unjudged = models.IntegerField(default=0)
    # Overdue while open: from the day the report starts judging it overdue, until it
    # finished (or that day, if later).
    overdue_from = models.IntegerField(default=0)
    overdue_until = models.IntegerField(default=0)
    # Digitised, by local day of received_at; result on file, by local day of finished_at
    # (resolved dossiers only, as the report's "resolved" column).
    digitised = models.IntegerField(default=0)
    result_on_file = models.IntegerField(default=0)

    class Meta:
        db_table = "stats_figurecount"
        verbose_name = _("figure counters")
        verbose_name_plural = _("figure counters")
        constraints = [
            # One row per group and bucket: the upserts of dossiers.figures rely on it, and its
            # index serves the reads (a unit's rows of one grain before an instant).
            models.UniqueConstraint(
                fields=["competent_unit", "grain", "bucket", "procedure"], name="figure_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competent_unit_id}/{self.procedure_id} {self.grain} {self.bucket}"
