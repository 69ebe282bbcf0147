"""What a refused action raises: a slug for the API's problem documents, a message for people."""

from typing import Any


class ActionError(Exception):
    """A refused action: `slug` names the problem, `message` says it to a person."""

    status = 422
    slug = "action-refused"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class InvalidInput(ActionError):
    slug = "invalid-input"


class NotAllowed(ActionError):
    status = 403
    slug = "not-allowed"


class InvalidTransition(ActionError):
    status = 409
    slug = "invalid-transition"


class Conflict(ActionError):
    status = 409
    slug = "stale-version"


class WorkflowError(RuntimeError):
    """An applier broke the transition table: a bug, not a refusal."""

    # Deliberately not an ActionError: no page or API turns it into a message for a person;
    # the transaction rolls back and the request fails loudly (500, logged).
