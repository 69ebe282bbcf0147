"""What the dossier page's action forms ask at each step, and how their answers reach the
actions: the assignee, the opinion and draft, the decision's comment, the result's number and
scan, who collected the result; irreversible verbs ask for a confirmation first."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from backoffice.forms import ActionForm
from dossiers import actions
from dossiers.actions.attachments import room_left
from dossiers.models import AttachmentPurpose, Dossier, StepKind
from dossiers.steps import verb_label
from dossiers.workflow import IRREVERSIBLE, TRANSITIONS, Verb
from uploads.gate import admit, discard
from uploads.models import StoredFile

# The fields each step kind asks for when forwarding from it.
FORWARD_ASKS = {
    StepKind.ASSIGN: ("assignee", "comment"),
    StepKind.APPRAISE: ("comment", "draft"),
    StepKind.CHECK: ("comment",),
    StepKind.ISSUE: ("result_number", "result_symbol", "result_date", "result_scan"),
}
VERB_ASKS = {
    Verb.APPROVE: ("comment",),
    Verb.RETURN_RESULT: ("return_method", "collector_name", "collector_id_number"),
}
# The files a form may carry, with the purpose they are attached for.
FILE_FIELDS = {"draft": AttachmentPurpose.DRAFT, "result_scan": AttachmentPurpose.RESULT}


def step_kind(dossier: Dossier) -> str | None:
    return dossier.current_step.kind if dossier.current_step is not None else None


def asks(verb: Verb, dossier: Dossier) -> tuple[str, ...]:
    """The fields of the action form this verb asks for at the dossier's current step."""
    if verb is Verb.FORWARD:
        kind = step_kind(dossier)
        return FORWARD_ASKS.get(StepKind(kind), ()) if kind else ()
    return VERB_ASKS.get(verb, ())


def page_verbs(user: User, dossier: Dossier, verbs: list[Verb]) -> list[dict[str, Any]]:
    """The dossier page's buttons: each verb's label at this step and whether it opens the
    action page (it asks for more than a confirmation) or confirms inline."""
    kind = step_kind(dossier)
    out = []
    for verb in verbs:
        fields = asks(verb, dossier)
        special = verb in (Verb.REQUEST_SUPPLEMENT, Verb.APOLOGIZE)
        inline = not (TRANSITIONS[verb].needs_reason or special) and set(fields) <= {"comment"}
        out.append(
            {
                "verb": verb.value,
                "label": verb_label(verb, kind),
                "inline": inline,
                "comment": "comment" in fields,
                "confirm": verb in IRREVERSIBLE,
                "danger": verb in (Verb.REFUSE, Verb.REFUSE_RESULT, Verb.CANCEL, Verb.STOP),
            }
        )
    return out


def action_form(dossier: Dossier, verb: Verb, data: Any = None, files: Any = None) -> ActionForm:
    """The action form, with the people who may be assigned when the step assigns."""
    people = actions.assignable(dossier) if "assignee" in asks(verb, dossier) else []
    return ActionForm(
        data,
        files,
        initial={"version": dossier.version},
        assignees=[(p.username, p.get_full_name()) for p in people],
    )


def params(form: ActionForm, verb: Verb, dossier: Dossier) -> dict[str, Any]:
    """The verb's parameters from a valid form (those the step does not ask are left out)."""
    data = form.cleaned_data
    out: dict[str, Any] = {
        "reason": data["reason"] or "",
        "new_due": data["new_due"],
        "missing_documents": form.missing_list(),
    }
    for name in asks(verb, dossier):
        if name not in FILE_FIELDS:
            out[name] = data[name]
    return out


def admit_files(
    form: ActionForm, verb: Verb, dossier: Dossier, user: User
) -> list[tuple[StoredFile, str]]:
    """Admit the form's files through the gate (`uploads.gate.Refused` for a bad one, after
    discarding those admitted before it)."""
    left = room_left(dossier)
    admitted: list[tuple[StoredFile, str]] = []
    try:
        for name in asks(verb, dossier):
            upload = form.cleaned_data.get(name) if name in FILE_FIELDS else None
            if upload:
                stored = admit(upload, by=user, max_bytes=left)
                left -= stored.size
                admitted.append((stored, FILE_FIELDS[name]))
    except BaseException:
        discard_all(admitted)
        raise
    return admitted


def discard_all(files: list[tuple[StoredFile, str]]) -> None:
    for stored, _purpose in files:
        discard(stored)


def confirmation_missing(form: ActionForm, verb: Verb) -> bool:
    """Put the confirmation's error beside its box when an irreversible verb lacks it."""
    if verb in IRREVERSIBLE and not form.cleaned_data.get("confirm"):
        form.add_error("confirm", _("Tick the box to confirm: this action cannot be undone."))
        return True
    return False
