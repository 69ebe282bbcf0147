"""The demo's payer: what a dossier owes paid in cash at the desk before its result is returned
(passed to `dossiers.demo.generate` by `seed_history`)."""

from datetime import datetime

from accounts.models import User
from dossiers.models import Dossier
from payments.actions import record_at_desk
from payments.fees import summary


def pay_at_desk(dossier: Dossier, desk: User, at: datetime) -> None:
    """Record the dossier's outstanding fees as paid in cash by its desk officer at `at`."""
    owed = summary(dossier).outstanding_vnd
    if owed > 0:
        record_at_desk(
            dossier,
            method="cash",
            amount_vnd=owed,
            receipt_number=f"DEMO{dossier.pk:08d}",
            by=desk,
            at=at,
        )
