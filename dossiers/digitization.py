"""What "digitised" means for a dossier and for its result, and the two flags that keep it on
the dossier row for the report's counters (docs/glossary.md, ADR 16).

- A dossier is **digitised** when every required document of its procedure version (a
  `RequiredDocument` with `required` set) has at least one `Attachment` on the dossier for
  that position, whoever attached it (a scan at the desk or a file filed online: DOMAIN.md §2,
  art. 17.1c) and for whatever purpose (intake or supplement). A version with no required
  document asks for no scan: its dossiers are digitised from filing.
- A dossier's **result is on file** when it has an electronic result: a file attached with
  purpose `result` (a scan of the paper result), or the signed result PDF
  (`documents.IssuedDocument` of form RESULT with `signed_at`; `documents.digitization` adds
  that half of the definition, since documents sit above dossiers).

`Dossier.digitised` and `Dossier.result_on_file` hold these answers. They change only here,
in the transaction that attaches a file (`after_attach`, called by `actions.attach_file`) or
stores a signed result (`mark_result_on_file`, called by `documents.papers.issue`), under the
dossier's lock and with the counters' change (`dossiers.figures`). Attachments are never
removed by the lifecycle, so the flags only ever turn on; `documents.digitization.refresh`
recomputes them from the files (migrations, `rebuild_figures`).
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from catalog.models import RequiredDocument
from dossiers import figures
from dossiers.figures import FigureFields
from dossiers.models import Attachment, AttachmentPurpose, Dossier


def documents_on_file() -> Q:
    """Dossiers whose every required document has a file attached (the definition, as SQL)."""
    missing = RequiredDocument.objects.filter(
        version_id=OuterRef("procedure_version_id"), required=True
    ).filter(
        ~Exists(
            Attachment.objects.filter(
                dossier_id=OuterRef(OuterRef("pk")), document=OuterRef("position")
            )
        )
    )
    return ~Q(Exists(missing))


def result_attached() -> Q:
    """Dossiers with a file attached as their result (one half of "result on file")."""
    return Q(
        Exists(
            Attachment.objects.filter(dossier_id=OuterRef("pk"), purpose=AttachmentPurpose.RESULT)
        )
    )


def _set(locked: Dossier, **flags: bool) -> None:
    """Turn flags on the locked dossier row and move its counters in the same transaction."""
    changed = {k: v for k, v in flags.items() if getattr(locked, k) != v}
    if not changed:
        return
    before = FigureFields.of(locked)
    for name, value in changed.items():
        setattr(locked, name, value)
    Dossier.objects.filter(pk=locked.pk).update(**changed)
    figures.record(before, FigureFields.of(locked))


def after_attach(locked: Dossier, attachment: Attachment) -> None:
    """Update the flags after `attachment` was added to the locked dossier (same transaction)."""
    flags: dict[str, bool] = {}
    if not locked.digitised and attachment.document is not None:
        flags["digitised"] = (
            Dossier.objects.filter(pk=locked.pk).filter(documents_on_file()).exists()
        )
    if attachment.purpose == AttachmentPurpose.RESULT:
        flags["result_on_file"] = True
    _set(locked, **flags)


def mark_result_on_file(dossier: Dossier) -> None:
    """Record that the dossier's signed result is stored (documents.papers.issue calls it)."""
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure_version")
            .get(pk=dossier.pk)
        )
        _set(locked, result_on_file=True)
    dossier.result_on_file = True


def stale_flags() -> list[tuple[str, str]]:
    """Return (dossier code, problem) for the flags the files visible here contradict: a
    `digitised` flag that disagrees with the attachments, a result file attached without
    `result_on_file` (the signed-result half is checked by documents.digitization.stale)."""
    out = []
    wrong = Dossier.objects.filter(
        (Q(documents_on_file()) & Q(digitised=False))
        | (~Q(documents_on_file()) & Q(digitised=True))
    )
    for code, digitised in wrong.values_list("code", "digitised"):
        out.append((code, f"digitised: stored {digitised}, files say {not digitised}"))
    unflagged = Dossier.objects.filter(result_attached(), result_on_file=False)
    for code in unflagged.values_list("code", flat=True):
        out.append((code, "result_on_file: stored False, a result file is attached"))
    return out
