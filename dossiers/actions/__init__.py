"""The only code that changes a dossier: filing, and one transition engine for every verb.

`perform(verb, dossier, actor=..., at=..., expected_version=..., **params)` is the entry:
it checks the verb against the workflow table (dossiers/workflow.py) and, in one
transaction, changes the dossier and its steps, appends the hash-chained event row and
enqueues notifications in the outbox. `forward(...)`, `approve(...)` and the other verb
names are `perform` with the verb filled in.

    errors   what a refused action raises
    chain    the events' keyed chain (HMAC) and state digests
    outbox   messages to the applicant
    clock    calendar, due instants, steps
    engine   `perform`: checks, the transaction, the target check
    verbs    what each verb does (appliers registered with the engine)
    filing   `file_dossier`: intake, applicant checks, dossier numbers, idempotency
    attachments  `attach_file`, `attach_upload`: files attached, with an event
"""

from functools import partial

from dossiers.actions import routing as _routing  # noqa: F401  (registers the appliers)
from dossiers.actions import verbs as _verbs  # noqa: F401  (registers the appliers)
from dossiers.actions.attachments import attach_file, attach_upload, perform_with_files
from dossiers.actions.chain import _new_event, record_event, verify_chain
from dossiers.actions.engine import (
    APPLIERS,
    Context,
    perform,
    register_follow_up,
    register_precondition,
)
from dossiers.actions.errors import (
    ActionError,
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    WorkflowError,
)
from dossiers.actions.filing import (
    Applicant,
    ReceivedDocument,
    default_competent_unit,
    file_dossier,
)
from dossiers.actions.verbs import assignable
from dossiers.models import Dossier
from dossiers.workflow import Verb

accept = partial(perform, Verb.ACCEPT)
request_supplement = partial(perform, Verb.REQUEST_SUPPLEMENT)
supplement = partial(perform, Verb.SUPPLEMENT)
refuse = partial(perform, Verb.REFUSE)
forward = partial(perform, Verb.FORWARD)
send_back = partial(perform, Verb.SEND_BACK)
approve = partial(perform, Verb.APPROVE)
refuse_result = partial(perform, Verb.REFUSE_RESULT)
return_result = partial(perform, Verb.RETURN_RESULT)
stop = partial(perform, Verb.STOP)
apologize = partial(perform, Verb.APOLOGIZE)
cancel = partial(perform, Verb.CANCEL)
transfer = partial(perform, Verb.TRANSFER)

__all__ = [
    "APPLIERS",
    "ActionError",
    "Applicant",
    "Conflict",
    "Context",
    "Dossier",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "ReceivedDocument",
    "WorkflowError",
    "_new_event",
    "accept",
    "apologize",
    "approve",
    "assignable",
    "attach_file",
    "attach_upload",
    "cancel",
    "default_competent_unit",
    "file_dossier",
    "forward",
    "perform",
    "perform_with_files",
    "record_event",
    "refuse",
    "refuse_result",
    "register_follow_up",
    "register_precondition",
    "request_supplement",
    "return_result",
    "send_back",
    "stop",
    "supplement",
    "transfer",
    "verify_chain",
]
