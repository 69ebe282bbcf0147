"""The dossier lifecycle as data: which verb goes from which states to which, and who may use it.

The transition engine (`dossiers.actions.perform`) is driven by this table: sources, actors,
reasons and the statuses each verb may land in; pages and the API ask it which verbs a user
may use now. No other module decides a transition.
"""

from dataclasses import dataclass
from enum import Enum, StrEnum

from django.utils.translation import gettext_lazy as _

from dossiers.models import Status


class Verb(StrEnum):
    SUBMIT = "submit"
    RECEIVE = "receive"
    ACCEPT = "accept"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    REFUSE = "refuse"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    APPROVE = "approve"
    REFUSE_RESULT = "refuse_result"
    RETURN_RESULT = "return_result"
    STOP = "stop"
    APOLOGIZE = "apologize"
    CANCEL = "cancel"
    # Inter-unit routing and the clock (dossiers/actions/routing.py).
    TRANSFER = "transfer"
    CLOSE_UNANSWERED = "close_unanswered"
    # Not a transition (no row in TRANSITIONS): a file attached, recorded in the chain.
    ATTACH = "attach"
    # Not transitions either: a payment received or refunded (payments app), in the chain.
    PAY = "pay"
    REFUND = "refund"
    # ... and a fee waiver granted for an applicant category (payments app), in the chain.
    WAIVE = "waive"


VERB_LABELS = {
    Verb.SUBMIT: _("Submit online"),
    Verb.RECEIVE: _("Receive"),
    Verb.ACCEPT: _("Accept the online submission"),
    Verb.REQUEST_SUPPLEMENT: _("Request a supplement"),
    Verb.SUPPLEMENT: _("Record the supplement"),
    Verb.REFUSE: _("Refuse"),
    Verb.FORWARD: _("Forward to the next step"),
    Verb.SEND_BACK: _("Send back to the previous step"),
    Verb.APPROVE: _("Approve"),
    Verb.REFUSE_RESULT: _("Deny (state the reason)"),
    Verb.RETURN_RESULT: _("Return the result to the applicant"),
    Verb.STOP: _("Stop at the applicant's request"),
    Verb.APOLOGIZE: _("Apologise and set a new appointment"),
    Verb.CANCEL: _("Cancel the dossier"),
    Verb.TRANSFER: _("Transfer to another competent unit"),
    Verb.CLOSE_UNANSWERED: _("Close: supplement not provided in time"),
    Verb.ATTACH: _("Attach a file"),
    Verb.PAY: _("Payment received"),
    Verb.REFUND: _("Payment refunded"),
    Verb.WAIVE: _("Fee waiver granted"),
}


class Actor(StrEnum):
    """Who may use a verb, resolved against the dossier by `dossiers.access`."""

    APPLICANT = "applicant"  # the filing citizen (or anyone filing online)
    DESK = "desk"  # a desk officer of the receiving unit
    STEP = "step"  # the holder of the current step's role in its agency
    DECIDER = "decider"  # the holder of the current step's role, when it is the decision step
    PROCESSING = "processing"  # a leader or specialist of the competent unit, or the desk
    ADMIN = "admin"  # a unit administrator of the receiving or competent unit, or sysadmin
    SYSTEM = "system"  # the scheduled tasks (dossiers.routing), acting as the system account


# Verbs a person cannot take back: the desk's pages ask them to confirm first (the API does
# not; its caller sends the version it saw).
IRREVERSIBLE = frozenset(
    {Verb.FORWARD, Verb.APPROVE, Verb.REFUSE_RESULT, Verb.RETURN_RESULT, Verb.STOP, Verb.CANCEL}
)


class Keep(Enum):
    """The target of a verb that leaves the status as it was (an apology moves the appointment)."""

    STATUS = "keep"


KEEP = Keep.STATUS


@dataclass(frozen=True)
class Transition:
    verb: Verb
    sources: frozenset[Status]
    # The statuses the verb may land in; the applier picks one (a supplement returns where
    # the dossier was; a forward into the last step makes the result ready). The engine
    # refuses, as a bug, any other result.
    target: frozenset[Status] | Keep
    actors: frozenset[Actor]
    needs_reason: bool = False
    # Parameters besides the reason that the verb needs (`perform(..., **params)`).
    params: frozenset[str] = frozenset()

    def lands_in(self, from_status: str, to_status: str) -> bool:
        """Tell whether going from `from_status` to `to_status` is within this verb's target."""
        if self.target is KEEP:
            return to_status == from_status
        return to_status in self.target


def _t(
    verb: Verb,
    sources: set[Status],
    target: set[Status] | Keep,
    actors: set[Actor],
    *,
    reason: bool = False,
    params: frozenset[str] = frozenset(),
) -> Transition:
    targets = target if isinstance(target, Keep) else frozenset(target)
    return Transition(verb, frozenset(sources), targets, frozenset(actors), reason, params)


S = Status
TRANSITIONS: dict[Verb, Transition] = {
    t.verb: t
    for t in [
        _t(Verb.ACCEPT, {S.SUBMITTED}, {S.IN_PROGRESS}, {Actor.DESK}),
        _t(
            Verb.REQUEST_SUPPLEMENT,
            {S.SUBMITTED, S.IN_PROGRESS},
            {S.SUPPLEMENT_REQUESTED},
            {Actor.DESK, Actor.STEP},
            reason=True,
            params=frozenset({"missing_documents"}),
        ),
        _t(
            Verb.SUPPLEMENT,
            {S.SUPPLEMENT_REQUESTED},
            {S.SUBMITTED, S.IN_PROGRESS},
            {Actor.DESK, Actor.APPLICANT},
        ),
        _t(
            Verb.REFUSE,
            {S.SUBMITTED, S.SUPPLEMENT_REQUESTED},
            {S.REFUSED},
            {Actor.DESK},
            reason=True,
        ),
        # What forwarding asks depends on the step left (dossiers.actions.verbs): an
        # assignment names the person, an appraisal its opinion, the clerk the number.
        _t(
            Verb.FORWARD,
            {S.IN_PROGRESS},
            {S.IN_PROGRESS, S.RESULT_READY},
            {Actor.STEP},
            params=frozenset(
                {"assignee", "comment", "result_number", "result_symbol", "result_date"}
            ),
        ),
        _t(
            Verb.SEND_BACK,
            {S.IN_PROGRESS},
            {S.IN_PROGRESS},
            {Actor.STEP, Actor.DECIDER},
            reason=True,
        ),
        # A decision moves on to the next step: the result is ready when that is the last.
        _t(
            Verb.APPROVE,
            {S.IN_PROGRESS},
            {S.IN_PROGRESS, S.RESULT_READY},
            {Actor.DECIDER},
            params=frozenset({"comment"}),
        ),
        _t(
            Verb.REFUSE_RESULT,
            {S.IN_PROGRESS},
            {S.IN_PROGRESS, S.RESULT_READY},
            {Actor.DECIDER},
            reason=True,
        ),
        _t(
            Verb.RETURN_RESULT,
            {S.RESULT_READY},
            {S.RETURNED},
            {Actor.DESK},
            params=frozenset({"return_method", "collector_name", "collector_id_number"}),
        ),
        _t(
            Verb.STOP,
            {S.SUBMITTED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED},
            {S.STOPPED},
            {Actor.DESK},
            reason=True,
        ),
        _t(
            Verb.APOLOGIZE,
            {S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED},
            KEEP,
            {Actor.PROCESSING},
            reason=True,
            params=frozenset({"new_due"}),
        ),
        # Inter-unit routing (Decree 118/2025 arts. 3.6-3.7, 14.2, 20): the desk, or the
        # competent unit's processing staff, pass a received dossier to another competent unit.
        _t(
            Verb.TRANSFER,
            {S.IN_PROGRESS},
            {S.IN_PROGRESS},
            {Actor.DESK, Actor.PROCESSING},
            reason=True,
            params=frozenset({"competent_unit"}),
        ),
        # Art. 19.5: a supplement unanswered SUPPLEMENT_CLOSE_DAYS calendar days after the
        # request may close the dossier; the scheduled task does it, with the reason.
        _t(
            Verb.CLOSE_UNANSWERED,
            {S.SUPPLEMENT_REQUESTED},
            {S.STOPPED},
            {Actor.SYSTEM},
            reason=True,
        ),
        _t(
            Verb.CANCEL,
            {S.SUBMITTED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.RESULT_READY},
            {S.CANCELLED},
            {Actor.ADMIN},
            reason=True,
        ),
    ]
}
