"""What "digitised" means for a dossier and for its result: defined once, for the report, the
Decision 766 indicator 5 and the dossier page (docs/glossary.md, ADR 16).

- A dossier is **digitised** when every required document of its procedure version (a
  `RequiredDocument` with `required` set) has at least one `Attachment` on the dossier for
  that position, whoever attached it (a scan at the desk or a file filed online: DOMAIN.md §2,
  art. 17.1c) and for whatever purpose (intake or supplement). A version with no required
  document asks for no scan: its dossiers are digitised.
- A dossier's **result is on file** when it has an electronic result: the signed result PDF
  (`IssuedDocument` of form RESULT with `signed_at`), or a file attached with purpose
  `result` (a scan of the paper result).

Both are a `Q` over dossier rows (correlated `EXISTS` subqueries served by the unique indexes
on (version, position), (dossier, document, sha256) and (dossier, form)) and a predicate for
one dossier that uses the same `Q`.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from catalog.models import RequiredDocument
from documents.models import Form, IssuedDocument
from dossiers.models import Attachment, AttachmentPurpose, Dossier


def _required_of_version() -> Exists:
    """A required document of the outer dossier's version with no attachment for it."""
    missing = RequiredDocument.objects.filter(
        version_id=OuterRef("procedure_version_id"), required=True
    ).filter(
        ~Exists(
            Attachment.objects.filter(
                dossier_id=OuterRef(OuterRef("pk")), document=OuterRef("position")
            )
        )
    )
    return Exists(missing)


def documents_on_file() -> Q:
    """Dossiers whose every required document has a file attached (digitised dossiers)."""
    return ~Q(_required_of_version())


def result_on_file() -> Q:
    """Dossiers with an electronic result: the signed result, or a result file attached."""
    signed = IssuedDocument.objects.filter(
        dossier_id=OuterRef("pk"), form=Form.RESULT, signed_at__isnull=False
    )
    scanned = Attachment.objects.filter(dossier_id=OuterRef("pk"), purpose=AttachmentPurpose.RESULT)
    return Q(Exists(signed)) | Q(Exists(scanned))


@dataclass(frozen=True)
class DossierDigitization:
    """One dossier's state for its page: required documents on file out of those required."""

    on_file: int
    required: int
    digitised: bool
    result_on_file: bool


def of_dossier(dossier: Dossier) -> DossierDigitization:
    """Count the dossier's required documents on file; `digitised` and `result_on_file` are
    the report's very conditions, evaluated on this one row."""
    required = set(
        RequiredDocument.objects.filter(
            version_id=dossier.procedure_version_id, required=True
        ).values_list("position", flat=True)
    )
    attached = set(
        Attachment.objects.filter(dossier=dossier, document__in=required).values_list(
            "document", flat=True
        )
    )
    flags = (
        Dossier.objects.filter(pk=dossier.pk)
        .annotate(
            _digitised=ExpressionWrapper(documents_on_file(), output_field=BooleanField()),
            _result=ExpressionWrapper(result_on_file(), output_field=BooleanField()),
        )
        .values_list("_digitised", "_result")
        .get()
    )
    return DossierDigitization(
        on_file=len(attached),
        required=len(required),
        digitised=bool(flags[0]),
        result_on_file=bool(flags[1]),
    )
