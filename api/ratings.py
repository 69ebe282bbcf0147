"""Rating endpoints: the applicant's satisfaction with a finished dossier (signed in or by PIN)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from accounts.ratelimit import limit_requests
from api.dossiers import LookupPin, _by_receipt, _fetch, _problem
from api.fields import Comment
from dossiers import actions
from dossiers.models import Dossier
from stats.actions import rate
from stats.models import RatingChannel

# Mounted beside the dossier routers (api/v1.py): same prefixes, paths of their own.
router = Router(tags=["dossiers"])
public_router = Router(tags=["public"])


class RatingIn(Schema):
    value: str = Field(..., description="very_satisfied, satisfied or dissatisfied")
    comment: Comment = ""


class RatingOut(Schema):
    code: str
    value: str
    value_label: str
    at: datetime


def _rate(dossier: Dossier, payload: RatingIn, channel: Any, actor: Any) -> dict[str, Any]:
    try:
        rating = rate(
            dossier,
            value=payload.value,
            comment=payload.comment,
            at=timezone.now(),
            channel=channel,
            actor=actor,
        )
    except actions.ActionError as exc:
        raise _problem(exc) from None
    return {
        "code": dossier.code,
        "value": rating.value,
        "value_label": str(rating.get_value_display()),
        "at": rating.at,
    }


# The operation ids predate this module's split from api/dossiers.py; clients keep them.
@router.post("/{code}/rating", response={201: RatingOut}, operation_id="api_dossiers_rate_dossier")
def rate_dossier(request: HttpRequest, code: str, payload: RatingIn) -> tuple[int, dict[str, Any]]:
    """Record the applicant's rating of a finished dossier (the applicant or the desk)."""
    dossier = _fetch(request, code)
    return 201, _rate(dossier, payload, RatingChannel.API, request.auth)  # type: ignore[attr-defined]


@public_router.post(
    "/dossiers/{code}/rating",
    response={201: RatingOut},
    auth=None,
    operation_id="api_dossiers_rate_public",
)
@limit_requests("public", "RATE_LIMIT_PUBLIC_PER_MINUTE")
def rate_public(
    request: HttpRequest, code: str, payload: RatingIn, pin: str = LookupPin
) -> tuple[int, dict[str, Any]]:
    """Rate a finished dossier with the code and PIN printed on the receipt (the PIN in the
    X-Lookup-Pin header)."""
    d = _by_receipt(request, code, pin)
    return 201, _rate(d, payload, RatingChannel.PUBLIC, None)
