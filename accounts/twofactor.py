"""Authenticator-app devices (TOTP, django-otp): enrolment and code checks.

Wrong codes are counted per user, across every door (desk, admin, API token) and every client
address: only someone who already has the password reaches the code step, and the count must
not restart when they sign in with the password again (django-axes forgets a username's
failures on every successful sign-in, which here is the password step). The count lives in
the shared rate-limit store (accounts.ratelimit), so every app node counts together.

Replays are refused by django-otp: a device remembers the last time step it accepted and takes
no code of that step or an earlier one again.
"""

import re
from base64 import b32encode
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.ratelimit import Limit, exceeded, hit

CODE_RE = re.compile(r"[0-9]{6}")
DEVICE_NAME = "authenticator"


class TooManyCodes(Exception):
    """Raise when a user has entered too many wrong codes within the lockout window."""


def _limit() -> Limit:
    # Locked once LOGIN_MAX_FAILURES wrong codes are counted: `exceeded` is "more than count".
    return Limit(settings.LOGIN_MAX_FAILURES - 1, timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES))


def _key(user: User) -> str:
    return f"otp:{user.pk}"


def retry_after_seconds() -> int:
    """Seconds a user locked out of the code step should wait, at most."""
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def confirmed_device(user: User) -> TOTPDevice | None:
    """Return the user's confirmed authenticator device, if any (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """Return the user's unconfirmed device, creating it with a fresh secret if there is none.

    Showing the enrolment page twice shows the same secret, so a code from an app that scanned
    the first page still confirms it.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        return device


def secret_text(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check_code(user: User, device: TOTPDevice, code: str, *, at: datetime) -> bool:
    """Check a code against the device; confirm an unconfirmed device it matches.

    Return False for a wrong, malformed or replayed code and count it. Raise TooManyCodes
    when the user is already locked out, or is by this wrong code. The device row is locked
    while it is checked, so two requests with one code cannot both pass.
    """
    limit = _limit()
    if exceeded(_key(user), limit, at=at):
        raise TooManyCodes
    code = "".join(code.split())
    verified = False
    if CODE_RE.fullmatch(code):
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
            verified = locked.verify_token(code)
            if verified and not locked.confirmed:
                locked.confirmed = True
                locked.save(update_fields=["confirmed"])
    if verified:
        return True
    if not hit(_key(user), limit, at=at):
        raise TooManyCodes
    return False
