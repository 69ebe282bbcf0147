"""Digitisation seen from the papers: the whole "result on file" definition (a result scan
attached, or the signed result stored here), the dossier page's line, and the check and
repair of the flags `dossiers.digitization` keeps (ADR 16).

The definitions as SQL over the files are the reference; `Dossier.digitised` and
`Dossier.result_on_file` are what the report counts (incrementally, ADR 4) and lists in its
drill-down. `stale()` names the dossiers whose flags disagree with their files (for
`verify_figures`); `refresh()` rewrites the flags from the files and recounts the units whose
flags moved (migrations, `rebuild_figures`).
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from catalog.models import RequiredDocument
from documents.models import Form, IssuedDocument
from dossiers import figures
from dossiers.digitization import documents_on_file, result_attached
from dossiers.models import Attachment, Dossier

__all__ = ["documents_on_file", "of_dossier", "refresh", "result_on_file", "stale"]


def result_on_file() -> Q:
    """Dossiers with an electronic result: a result file attached, or the signed result."""
    signed = IssuedDocument.objects.filter(
        dossier_id=OuterRef("pk"), form=Form.RESULT, signed_at__isnull=False
    )
    return result_attached() | Q(Exists(signed))


def stale(qs: QuerySet[Dossier] | None = None) -> list[tuple[str, str]]:
    """Return (dossier code, problem) for every flag that disagrees with the files."""
    rows = (
        (qs if qs is not None else Dossier.objects.all())
        .annotate(
            _digitised=ExpressionWrapper(documents_on_file(), output_field=BooleanField()),
            _result=ExpressionWrapper(result_on_file(), output_field=BooleanField()),
        )
        .exclude(digitised=F("_digitised"), result_on_file=F("_result"))
    )
    out = []
    for code, digitised, result, want_d, want_r in rows.values_list(
        "code", "digitised", "result_on_file", "_digitised", "_result"
    ):
        if bool(digitised) != bool(want_d):
            out.append((code, f"digitised: stored {digitised}, files say {bool(want_d)}"))
        if bool(result) != bool(want_r):
            out.append((code, f"result_on_file: stored {result}, files say {bool(want_r)}"))
    return out


def refresh() -> list[int]:
    """Rewrite the flags that disagree with the files (four grouped UPDATEs), recount the
    units the figures count those dossiers in (`figures.unit_field`); return their ids."""
    moved: set[int] = set()
    counted = f"{figures.unit_field()}_id"
    for field, condition in (
        ("digitised", documents_on_file()),
        ("result_on_file", result_on_file()),
    ):
        for value, wrong in (
            (True, Q(condition) & Q(**{field: False})),
            (False, ~Q(condition) & Q(**{field: True})),
        ):
            qs = Dossier.objects.filter(wrong)
            moved |= set(qs.values_list(counted, flat=True).distinct())
            Dossier.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(
                **{field: value}
            )
    if moved:
        figures.rebuild(sorted(moved))
    return sorted(moved)


@dataclass(frozen=True)
class DossierDigitization:
    """One dossier's state for its page: required documents on file out of those required."""

    on_file: int
    required: int
    digitised: bool
    result_on_file: bool


def of_dossier(dossier: Dossier) -> DossierDigitization:
    """Count the dossier's required documents on file, with the flags the report counts."""
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
    return DossierDigitization(
        on_file=len(attached),
        required=len(required),
        digitised=dossier.digitised,
        result_on_file=dossier.result_on_file,
    )
