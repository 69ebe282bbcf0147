"""Recording a citizen's rating of a finished dossier."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dossiers.actions import InvalidInput, InvalidTransition, NotAllowed
from dossiers.models import Dossier, Status
from orgs.access import has_role
from orgs.models import Role
from stats.models import Rating, RatingChannel, Satisfaction

if TYPE_CHECKING:
    from accounts.models import User

RATEABLE = frozenset({Status.RESULT_READY, Status.RETURNED, Status.STOPPED})


def rate(
    dossier: Dossier,
    *,
    value: str,
    comment: str,
    at: datetime,
    channel: RatingChannel,
    actor: "User | None" = None,
) -> Rating:
    """Record the one rating of a finished dossier.

    At the desk and through the API the actor must be a desk officer of the receiving unit or
    the applicant; with the receipt code (public channel) the caller has already proved it.
    """
    if value not in Satisfaction.values:
        raise InvalidInput(
            _("The rating must be one of: %(ok)s.") % {"ok": ", ".join(Satisfaction.values)}
        )
    if len(comment) > 1000:
        raise InvalidInput(_("The comment is limited to 1000 characters."))
    if channel != RatingChannel.PUBLIC:
        allowed = actor is not None and (
            has_role(actor, Role.DESK_OFFICER, dossier.receiving_unit)
            or dossier.applicant_user_id == actor.pk
        )
        if not allowed:
            raise NotAllowed(_("Only the applicant or the receiving desk may record a rating."))
    if dossier.status not in RATEABLE:
        raise InvalidTransition(_("Only a finished dossier can be rated."))
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier,
                value=value,
                comment=comment.strip(),
                channel=channel,
                at=at,
                recorded_by=actor,
            )
    except IntegrityError:
        raise InvalidTransition(_("This dossier has already been rated.")) from None
