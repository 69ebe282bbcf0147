"""State changes on the catalog: publishing versions and importing catalog files."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.io import DocumentRecord, ProcedureRecord, StepRecord
from catalog.models import (
    Field,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    VersionStatus,
    WorkflowStep,
    workflow_mismatch,
)
from orgs.models import AgencyKind


@transaction.atomic
def publish_version(version: ProcedureVersion) -> ProcedureVersion:
    """Publish a draft version, retiring the one in force; refuse a workflow that doesn't add up."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError("Chỉ phiên bản dự thảo mới được ban hành.")
    hours = list(version.steps.order_by("position").values_list("hours", flat=True))
    mismatch = workflow_mismatch(version.limit_amount, version.limit_unit, hours)
    if mismatch:
        raise ValidationError(mismatch)
    ProcedureVersion.objects.filter(
        procedure=version.procedure_id, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.RETIRED)
    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status"])
    return version


def record_from_version(version: ProcedureVersion) -> ProcedureRecord:
    """Describe a stored version in the catalog file's terms."""
    proc = version.procedure
    return ProcedureRecord(
        code=proc.code,
        name=proc.name,
        field_code=proc.field.code,
        field_name=proc.field.name,
        level=version.level,
        competent_agency_kind=version.competent_agency_kind.code,
        limit_amount=version.limit_amount,
        limit_unit=version.limit_unit,
        fee_vnd=version.fee_vnd,
        charge_vnd=version.charge_vnd,
        fee_note=version.fee_note,
        result=version.result,
        channels=version.channels(),
        legal_basis=version.legal_basis,
        documents=[
            DocumentRecord(d.name, d.form, d.count, d.required, d.template)
            for d in version.documents.all()
        ],
        steps=[
            StepRecord(s.name, s.agency_kind.code, s.role, s.hours, s.unit)
            for s in version.steps.select_related("agency_kind")
        ],
    )


def published_records() -> list[ProcedureRecord]:
    """Return every procedure's version in force, for export."""
    versions = (
        ProcedureVersion.objects.published()
        .select_related("procedure__field", "competent_agency_kind")
        .prefetch_related("documents", "steps__agency_kind")
        .order_by("procedure__code")
    )
    return [record_from_version(v) for v in versions]


@dataclass
class ImportResult:
    created: int = 0  # new procedures
    versioned: int = 0  # existing procedures that got a new version
    unchanged: int = 0


@transaction.atomic
def import_records(records: list[ProcedureRecord]) -> ImportResult:
    """Write validated records: a new published version wherever the content changed."""
    kinds = {k.code: k for k in AgencyKind.objects.all()}
    result = ImportResult()
    for rec in records:
        field, _ = Field.objects.get_or_create(
            code=rec.field_code, defaults={"name": rec.field_name}
        )
        proc, created = Procedure.objects.get_or_create(
            code=rec.code, defaults={"name": rec.name, "field": field}
        )
        if not created and (proc.name != rec.name or proc.field_id != field.pk):
            proc.name, proc.field = rec.name, field
            proc.save(update_fields=["name", "field"])
        current = proc.current_version()
        if current is not None and record_from_version(current) == rec:
            result.unchanged += 1
            continue
        last = proc.versions.order_by("-number").first()
        version = ProcedureVersion.objects.create(
            procedure=proc,
            number=(last.number + 1) if last else 1,
            level=rec.level,
            competent_agency_kind=kinds[rec.competent_agency_kind],
            limit_amount=rec.limit_amount,
            limit_unit=rec.limit_unit,
            fee_vnd=rec.fee_vnd,
            charge_vnd=rec.charge_vnd,
            fee_note=rec.fee_note,
            result=rec.result,
            legal_basis=rec.legal_basis,
            allows_desk="desk" in rec.channels,
            allows_post="post" in rec.channels,
            allows_online_partial="online_partial" in rec.channels,
            allows_online_full="online_full" in rec.channels,
        )
        RequiredDocument.objects.bulk_create(
            RequiredDocument(version=version, position=i, **d.__dict__)
            for i, d in enumerate(rec.documents, start=1)
        )
        WorkflowStep.objects.bulk_create(
            WorkflowStep(
                version=version,
                position=i,
                name=s.name,
                agency_kind=kinds[s.agency_kind],
                role=s.role,
                hours=s.hours,
                unit=s.unit,
            )
            for i, s in enumerate(rec.steps, start=1)
        )
        publish_version(version)
        if created:
            result.created += 1
        else:
            result.versioned += 1
    return result
