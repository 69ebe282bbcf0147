"""Approve a dossier and sign its electronic result: one domain call for the desk and the API."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from documents.papers import check_signing, issue_result_after
from dossiers import actions
from dossiers.access import allowed_verbs
from dossiers.models import Dossier
from dossiers.workflow import Verb

if TYPE_CHECKING:
    from accounts.models import User


def approve_and_sign(
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    expected_version: int | None = None,
    **params: Any,
) -> Dossier:
    """Approve the dossier, then sign and store its electronic result; return it updated.

    Nothing is approved when the result cannot be signed: if the actor may approve now, the
    competent unit's certificate and the result's fields are checked first (`SigningError`,
    `PaperError`). The approval is one transaction (`actions.perform`) and commits on its own;
    signing runs after it, outside the dossier's row lock. A failure then is logged and the
    result is signed on first download: the approval stands and the caller sees no error.
    A refused approval raises `ActionError` as any verb does.
    """
    # Who may act is answered first (by perform's ActionError), not by a signing problem.
    if Verb.APPROVE in allowed_verbs(actor, dossier):
        check_signing(dossier, Verb.APPROVE, at=at)
    done = actions.perform(
        Verb.APPROVE, dossier, actor=actor, at=at, expected_version=expected_version, **params
    )
    issue_result_after(done, Verb.APPROVE, at=at)
    return done


def perform_and_issue(
    verb: str,
    dossier: Dossier,
    *,
    actor: "User",
    at: datetime,
    expected_version: int | None = None,
    **params: Any,
) -> Dossier:
    """Perform a verb asked for by a page or the API; an approval also signs its result."""
    if verb == Verb.APPROVE:
        return approve_and_sign(
            dossier, actor=actor, at=at, expected_version=expected_version, **params
        )
    return actions.perform(
        verb, dossier, actor=actor, at=at, expected_version=expected_version, **params
    )
