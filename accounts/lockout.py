"""Failures counted in the database, so that every app node counts the same attempts.

Sign-ins are protected by django-axes (settings: AXES_*): failures are counted per username
and client address together, so a flood of wrong passwords from one address cannot lock the
real user out from another. This module keeps the helper the public lookups count wrong PINs
with (`dossiers.access`).
"""

from datetime import datetime, timedelta

from accounts.models import LoginFailure


def recent_failures(key: str, *, at: datetime, window: timedelta) -> list[datetime]:
    """Instants of the failures recorded under `key` within `window` before `at`, oldest first.

    Keys are "pin:<dossier code>" for wrong lookup PINs (`dossiers.access`).
    """
    return list(
        LoginFailure.objects.filter(username__iexact=key, at__gt=at - window)
        .order_by("at")
        .values_list("at", flat=True)
    )
