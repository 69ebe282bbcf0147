"""The scheduled side of the clock: dossiers whose supplement went unanswered are closed.

Decree 118/2025 art. 19.5: unanswered SUPPLEMENT_CLOSE_DAYS (15) calendar days after the
notice, the dossier may be closed. The periodic task "close-unanswered" finds the dossiers
still waiting whose request was made on a local day at least that many days before today
(the day of the notice is not counted, as in the Civil Code), and closes each through the
CLOSE_UNANSWERED verb in its own transaction, with the reason, as the system account.
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import User
from dossiers import actions
from dossiers.models import Dossier, Status
from dossiers.workflow import Verb

logger = logging.getLogger(__name__)


def system_account() -> "User":
    """Return the account the scheduled tasks act as (created once, cannot sign in)."""
    user, created = User.objects.get_or_create(
        username=settings.SYSTEM_USERNAME,
        defaults={"full_name": _("System (scheduled task)"), "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def closing_before(at: datetime, days: int | None = None) -> datetime:
    """Return the instant before which an unanswered request closes its dossier at `at`:
    local midnight `days` days before today (a request on day D closes on day D + days + 1)."""
    n = settings.SUPPLEMENT_CLOSE_DAYS if days is None else days
    today = timezone.localdate(at)
    return datetime.combine(today - timedelta(days=n), time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def unanswered(at: datetime, days: int | None = None) -> "list[Dossier]":
    """The dossiers still waiting for a supplement asked for before `closing_before(at)`."""
    return list(
        Dossier.objects.filter(status=Status.SUPPLEMENT_REQUESTED)
        .annotate(asked=Max("events__at", filter=Q(events__verb=Verb.REQUEST_SUPPLEMENT)))
        .filter(asked__lt=closing_before(at, days))
        .order_by("asked", "pk")
    )


def close_unanswered(at: datetime, days: int | None = None) -> list[str]:
    """Close every dossier whose supplement went unanswered; return their codes.

    One transaction per dossier (the engine's); a dossier supplemented meanwhile is left
    alone (the verb is refused from its new status).
    """
    n = settings.SUPPLEMENT_CLOSE_DAYS if days is None else days
    if n <= 0:
        return []
    actor = system_account()
    reason = _(
        "The applicant did not supplement the dossier within %(days)s days of the request "
        "(Decree 118/2025, art. 19.5)."
    ) % {"days": n}
    closed = []
    for d in unanswered(at, n):
        try:
            actions.perform(Verb.CLOSE_UNANSWERED, d, actor=actor, at=at, reason=reason)
        except actions.ActionError as exc:
            logger.info("not closing %s: %s", d.code, exc.message)
            continue
        closed.append(d.code)
    return closed


@task()
def close_unanswered_task() -> int:
    """Periodic task (PERIODIC_TASKS "close-unanswered"): close the unanswered dossiers now."""
    closed = close_unanswered(timezone.now())
    if closed:
        logger.info("closed %d dossiers with an unanswered supplement request", len(closed))
    return len(closed)
