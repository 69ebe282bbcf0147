"""Two-factor sign-in in tests: a unit that requires it, an enrolled app, the app's codes."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from orgs.models import Unit


def require_two_factor(unit: Unit, required: bool = True) -> None:
    """Set the unit's "require two-factor sign-in" as an administrator would."""
    unit.require_two_factor = required
    unit.save(update_fields=["require_two_factor"])


def enrolled_device(user: User) -> TOTPDevice:
    """Give `user` a confirmed authenticator device, as if enrolled earlier."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_of(device: TOTPDevice, steps_later: int = 0) -> str:
    """The code the user's app shows now (or `steps_later` 30-second steps from now)."""
    device.refresh_from_db()
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_later
    )
    return f"{value:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A well-formed code that no step the device accepts now would show."""
    accepted = {code_of(device, d) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)
