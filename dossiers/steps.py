"""What each step of a workflow is for, read from its role and its place in the workflow.

The catalog's workflow steps carry an agency kind and a role, no purpose; the purpose follows
from the order published internal procedures agree on (DOMAIN.md §2): the desk receives, the
office leader assigns, the specialist appraises and drafts, the office leader checks, the
head decides and signs, the clerk numbers and issues, the desk returns. This module is the one
place that reads it; the decision step is the last leader step, as it always was.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.choices import AttachmentPurpose, ReturnMethod, StepKind
from dossiers.workflow import VERB_LABELS, Verb
from orgs.models import Role


def step_kinds(roles: Sequence[str]) -> list[StepKind]:
    """Return the kind of each step of a workflow given its roles in order."""
    leaders = [i for i, role in enumerate(roles) if role == Role.LEADER]
    decision = leaders[-1] if leaders else None
    first_specialist = next((i for i, r in enumerate(roles) if r == Role.SPECIALIST), None)
    last = len(roles) - 1
    kinds = []
    for i, role in enumerate(roles):
        if i == decision:
            kind = StepKind.DECIDE
        elif role == Role.LEADER:
            before_appraisal = first_specialist is not None and i < first_specialist
            kind = StepKind.ASSIGN if before_appraisal else StepKind.CHECK
        elif role == Role.SPECIALIST:
            kind = StepKind.APPRAISE
        elif role == Role.CLERK:
            kind = StepKind.ISSUE
        elif role == Role.DESK_OFFICER and i == 0:
            kind = StepKind.RECEIVE
        elif role == Role.DESK_OFFICER and i == last:
            kind = StepKind.RETURN
        else:
            kind = StepKind.OTHER
        kinds.append(kind)
    return kinds


# What forwarding from a step does, as its button says it; other kinds keep the verb's label.
FORWARD_LABELS = {
    StepKind.ASSIGN: gettext_lazy("Assign"),
    StepKind.APPRAISE: gettext_lazy("Submit the opinion and draft"),
    StepKind.CHECK: gettext_lazy("Checked: submit for signature"),
    StepKind.ISSUE: gettext_lazy("Number and issue the result"),
}


def verb_label(verb: str, kind: str | None) -> str:
    """Return what the verb does at a step of this kind, in the active language."""
    if verb == Verb.FORWARD and kind in FORWARD_LABELS:
        return str(FORWARD_LABELS[StepKind(kind)])
    try:
        return str(VERB_LABELS[Verb(verb)])
    except ValueError:
        return verb


def event_label(verb: str, payload: dict[str, Any], kind: str | None) -> str:
    """Name one event of the timeline by what it did: whom a step was assigned to, the
    number the result was issued under, how the result was returned... `kind` is the kind
    of the step the event left (older events do not carry it in their payload)."""
    kind = payload.get("step_kind") or kind
    if verb == Verb.FORWARD:
        if kind == StepKind.ASSIGN and payload.get("assignee_name"):
            return _("Assigned to %(name)s") % {"name": payload["assignee_name"]}
        if kind == StepKind.APPRAISE:
            return str(_("Appraisal opinion and draft submitted"))
        if kind == StepKind.CHECK:
            return str(_("Checked and submitted for signature"))
        if kind == StepKind.ISSUE and payload.get("result_number"):
            return _("Result numbered %(number)s/%(symbol)s of %(date)s and issued") % {
                "number": payload["result_number"],
                "symbol": payload.get("result_symbol", ""),
                "date": _day(payload.get("result_date", "")),
            }
        if kind == StepKind.RECEIVE:
            return str(_("Sent for processing"))
    if verb == Verb.RETURN_RESULT and payload.get("return_method") in ReturnMethod.values:
        method = ReturnMethod(payload["return_method"]).label
        if payload.get("collector_name"):
            return _("Result returned (%(method)s) to %(name)s") % {
                "method": method,
                "name": payload["collector_name"],
            }
        return _("Result returned (%(method)s)") % {"method": method}
    if verb == Verb.ATTACH:
        name = payload.get("name") or ""
        if payload.get("purpose") == AttachmentPurpose.DRAFT:
            return _("Draft result attached: %(name)s") % {"name": name}
        if payload.get("purpose") == AttachmentPurpose.RESULT:
            return _("Scan of the result attached: %(name)s") % {"name": name}
    return verb_label(verb, None)


def _day(iso: str) -> str:
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso
