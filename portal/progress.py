"""What a citizen's dossier page says about where the dossier stands, in plain words."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dossiers.access import workflow_steps
from dossiers.models import Dossier, DossierEvent, Status
from dossiers.workflow import Verb

# The verbs whose reason the applicant must read (why the dossier went no further).
REASON_VERBS = (Verb.REFUSE, Verb.REFUSE_RESULT, Verb.STOP, Verb.CANCEL)


@dataclass
class Stage:
    name: str
    state: str  # done, current, todo


def plain_status(d: Dossier) -> str:
    """One sentence saying what happens now."""
    step = d.current_step
    sentences = {
        Status.SUBMITTED: _("Submitted online; the one-stop desk is checking your documents."),
        Status.SUPPLEMENT_REQUESTED: _(
            "The agency needs more documents from you: see the request below."
        ),
        Status.RESULT_READY: _("The result is ready."),
        Status.RETURNED: _("The result was returned to you."),
        Status.REFUSED: _("The dossier was refused; the reason is below."),
        Status.STOPPED: _("Processing was stopped; the reason is below."),
        Status.CANCELLED: _("The dossier was cancelled; the reason is below."),
    }
    if d.status == Status.IN_PROGRESS:
        if step is not None:
            return _("Being processed, at the step: %(step)s.") % {"step": step.name}
        return _("Being processed.")
    return sentences.get(Status(d.status), "")


def stages(d: Dossier) -> list[Stage]:
    """The progress bar: filed, every workflow step, the result; each done, current or to do."""
    names = [_("Dossier filed"), *(s.name for s in workflow_steps(d)), _("Result")]
    if d.status == Status.RETURNED:
        current = len(names)
    elif d.received_at is None:
        current = 1  # waiting for the desk's first step
    elif d.current_step is not None:
        current = d.current_step.position
    else:
        current = 1
    out = []
    for i, name in enumerate(names):
        state = "done" if i < current else "current" if i == current else "todo"
        out.append(Stage(name, state))
    return out


def last_event(d: Dossier, *verbs: str) -> DossierEvent | None:
    """The dossier's latest event with one of `verbs`."""
    return d.events.filter(verb__in=verbs).order_by("-seq").first()


def notices(d: Dossier) -> dict[str, Any]:
    """The refusal reason and the supplement request the applicant must read, if any."""
    out: dict[str, Any] = {}
    if d.status in (Status.REFUSED, Status.STOPPED, Status.CANCELLED) or d.outcome == "denied":
        event = last_event(d, *REASON_VERBS)
        out["reason"] = event.reason if event is not None else ""
    if d.status == Status.SUPPLEMENT_REQUESTED:
        event = last_event(d, Verb.REQUEST_SUPPLEMENT)
        if event is not None:
            out["supplement_reason"] = event.reason
            out["supplement_missing"] = [
                str(m) for m in event.payload.get("missing_documents") or []
            ]
    return out
