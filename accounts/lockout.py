"""Lock an account for a while after repeated failed sign-ins.

Failures are rows in the database (not a per-process cache) so that every app node behind
the proxy counts the same attempts.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LoginFailure


class LockedOut(Exception):
    """Raise when an account is locked; `message` tells the person until when."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @classmethod
    def for_username(cls, username: str, *, at: datetime) -> "LockedOut":
        until = _locked_until(username, at) or at + _window()
        return cls(
            _(
                "Too many failed sign-ins: this account is locked until %(time)s. "
                "Try again later or ask the unit administrator."
            )
            % {"time": timezone.localtime(until).strftime("%H:%M %d/%m/%Y")}
        )


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def recent_failures(key: str, *, at: datetime, window: timedelta) -> list[datetime]:
    """Instants of the failures recorded under `key` within `window` before `at`, oldest first.

    Keys are usernames, or "pin:<dossier code>" for wrong lookup PINs (`dossiers.access`).
    """
    return list(
        LoginFailure.objects.filter(username__iexact=key, at__gt=at - window)
        .order_by("at")
        .values_list("at", flat=True)
    )


def _recent(username: str, at: datetime) -> list[datetime]:
    return recent_failures(username, at=at, window=_window())


def _locked_until(username: str, at: datetime) -> datetime | None:
    recent = _recent(username, at)
    if len(recent) < settings.LOGIN_MAX_FAILURES:
        return None
    return recent[-settings.LOGIN_MAX_FAILURES] + _window()


def check_not_locked(username: str, *, at: datetime) -> None:
    """Raise LockedOut if the account has failed too often within the window."""
    if _locked_until(username, at) is not None:
        raise LockedOut.for_username(username, at=at)


def record_failure(username: str, *, at: datetime) -> int | None:
    """Record a failed sign-in; return how many attempts are left (0: now locked)."""
    if ":" in username:
        # No account has ":" in its name (Django's username rule); the table also counts
        # wrong lookup PINs under "pin:<code>", which a sign-in must not be able to touch.
        return settings.LOGIN_MAX_FAILURES
    LoginFailure.objects.create(username=username[:150], at=at)
    left = settings.LOGIN_MAX_FAILURES - len(_recent(username, at))
    return max(left, 0)


def record_success(username: str) -> None:
    """Forget the failures of an account that signed in."""
    LoginFailure.objects.filter(username__iexact=username).delete()
